/**
 * Tree hierarchies (categorical trees and prefix hierarchies). Leaves are numbered in
 * depth-first order, so every node covers a contiguous leaf-code range and the node that
 * generalises a set of leaves is the lowest common ancestor of its smallest and largest code.
 */
import type { TreeNode } from '../declaration.js';
import type { Generalisation, QiDomain, QiEncoder } from './types.js';

interface BuildNode {
  label: string;
  level: string;
  children: BuildNode[];
}

interface CodedNode {
  label: string;
  level: string;
  lo: number;
  hi: number;
  parent: number;
  children: number[];
}

export class CodeTree {
  readonly nodes: CodedNode[] = [];
  readonly leafCodes = new Map<string, number>();
  private readonly leafNode: number[] = [];

  /** Throws on a leaf label used twice (callers validate first and turn it into a Result). */
  constructor(root: BuildNode) {
    this.add(root, -1);
  }

  get leafCount(): number {
    return this.leafNode.length;
  }

  private add(node: BuildNode, parent: number): number {
    const index = this.nodes.length;
    const coded: CodedNode = { label: node.label, level: node.level, lo: this.leafNode.length, hi: -1, parent, children: [] };
    this.nodes.push(coded);
    if (node.children.length === 0) {
      if (this.leafCodes.has(node.label)) throw new Error(`leaf '${node.label}' appears twice`);
      this.leafCodes.set(node.label, this.leafNode.length);
      this.leafNode.push(index);
    }
    for (const child of node.children) coded.children.push(this.add(child, index));
    coded.hi = this.leafNode.length - 1;
    return index;
  }

  /** The lowest node covering leaf codes lo..hi. */
  cover(lo: number, hi: number): CodedNode {
    let node = this.nodes[this.leafNode[lo] as number] as CodedNode;
    while (node.hi < hi) node = this.nodes[node.parent] as CodedNode;
    return node;
  }

  domain(column: string): QiDomain {
    const total = this.leafCount;
    const loss = (node: CodedNode): number => (total <= 1 ? 0 : (node.hi - node.lo) / (total - 1));
    return {
      column,
      kind: 'tree',
      generalise: (lo, hi): Generalisation => {
        const node = this.cover(lo, hi);
        return { label: node.label, level: node.level, loss: loss(node) };
      },
      loss: (lo, hi) => loss(this.cover(lo, hi)),
      childRanges: (lo, hi) => this.cover(lo, hi).children.map((c) => [this.nodes[c]?.lo ?? 0, this.nodes[c]?.hi ?? 0] as const),
    };
  }
}

function fromDeclared(node: TreeNode, depth: number): BuildNode {
  if (typeof node === 'string') return { label: node, level: 'value', children: [] };
  const level = depth === 0 ? 'root' : `depth-${depth}`;
  return { label: node.label, level, children: node.children.map((c) => fromDeclared(c, depth + 1)) };
}

/** Checks a declared tree: leaf labels must be unique. Returns the problems found. */
export function treeProblems(tree: TreeNode): string[] {
  try {
    new CodeTree(fromDeclared(tree, 0));
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
}

export function categoricalEncoder(column: string, tree: TreeNode): QiEncoder {
  const coded = new CodeTree(fromDeclared(tree, 0));
  return {
    column,
    encode: (raw) => coded.leafCodes.get(raw) ?? `'${raw}' is not a leaf of the declared hierarchy`,
    finish: () => coded.domain(column),
  };
}

/** Builds root `*` → shortest prefix → … → longest prefix → value, from the values seen. */
function prefixTree(values: readonly string[], lengths: readonly number[]): BuildNode {
  const root: BuildNode = { label: '*', level: 'root', children: [] };
  const index = new Map<string, BuildNode>();
  const ascending = [...lengths].sort((a, b) => a - b);
  for (const value of [...values].sort()) {
    let parent = root;
    for (const length of ascending) {
      if (value.length <= length) break;
      const key = `${length}:${value.slice(0, length)}`;
      let node = index.get(key);
      if (node === undefined) {
        node = { label: `${value.slice(0, length)}*`, level: `prefix-${length}`, children: [] };
        index.set(key, node);
        parent.children.push(node);
      }
      parent = node;
    }
    parent.children.push({ label: value, level: 'value', children: [] });
  }
  return root;
}

export function prefixEncoder(column: string, lengths: readonly number[]): QiEncoder {
  const provisional = new Map<string, number>();
  return {
    column,
    encode(raw) {
      const value = raw.trim();
      if (value === '') return 'an empty value cannot be generalised by prefix';
      let code = provisional.get(value);
      if (code === undefined) {
        code = provisional.size;
        provisional.set(value, code);
      }
      return code;
    },
    finish(codes, n) {
      const values = [...provisional.keys()];
      const coded = new CodeTree(prefixTree(values, lengths));
      const renumber = new Int32Array(values.length);
      values.forEach((value, i) => (renumber[i] = coded.leafCodes.get(value) ?? 0));
      for (let i = 0; i < n; i++) codes[i] = renumber[codes[i] as number] as number;
      return coded.domain(column);
    },
  };
}
