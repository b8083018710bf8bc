/**
 * Structural accessibility checks run inside the page (WCAG 2.2 1.3.1 Info and Relationships,
 * 2.4.6 Headings and Labels, 4.1.2 Name, Role, Value): one h1, every form control with a label,
 * every button and link with a name, every table with a caption and column headers, no
 * duplicate ids, no positive tabindex. Returns what is wrong, in words.
 */
import type { Page } from 'playwright-core';

export async function accessibilityProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const describe = (el: Element) => `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('name') ? ` name=${el.getAttribute('name')}` : ''}>`;
    const visible = (el: Element) => !(el as HTMLElement).closest('[hidden]') && (el as HTMLElement).getClientRects().length > 0;
    const h1s = [...document.querySelectorAll('h1')].filter(visible);
    if (h1s.length !== 1) problems.push(`expected one h1, found ${h1s.length}`);
    for (const control of document.querySelectorAll('input, select, textarea')) {
      if ((control as HTMLInputElement).type === 'hidden' || !visible(control)) continue;
      const labelled = ((control as HTMLInputElement).labels?.length ?? 0) > 0 || control.hasAttribute('aria-label') || control.hasAttribute('aria-labelledby');
      if (!labelled) problems.push(`${describe(control)} has no label`);
    }
    for (const el of document.querySelectorAll('button, a[href]')) {
      if (!visible(el)) continue;
      const name = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
      if (name === '') problems.push(`${describe(el)} has no accessible name`);
    }
    for (const table of document.querySelectorAll('table')) {
      if (!table.querySelector('caption')?.textContent?.trim()) problems.push(`${describe(table)} has no caption`);
      if (table.querySelectorAll('thead th[scope="col"]').length === 0) problems.push(`${describe(table)} has no column headers`);
    }
    const ids = [...document.querySelectorAll('[id]')].map((el) => el.id);
    for (const id of new Set(ids.filter((id, i) => ids.indexOf(id) !== i))) problems.push(`duplicate id ${id}`);
    for (const el of document.querySelectorAll('[tabindex]')) {
      if (Number(el.getAttribute('tabindex')) > 0) problems.push(`${describe(el)} has a positive tabindex`);
    }
    return problems;
  });
}
