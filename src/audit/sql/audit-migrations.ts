/**
 * Audit tables. `audit_entry` holds the chain (every hashed field as stored text);
 * `audit_subject` indexes entries by subject for search only (verification never reads it);
 * `audit_checkpoint` holds the signed heads.
 */
import type { Migration } from '../../store/index.js';

export const auditMigrations: readonly Migration[] = [
  {
    capability: 'audit',
    version: 1,
    sql: `CREATE TABLE audit_entry (
        seq {{bigint}} PRIMARY KEY,
        time TEXT NOT NULL,
        actor TEXT NOT NULL,
        type TEXT NOT NULL,
        subjects TEXT NOT NULL,
        digest TEXT,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      );
      CREATE INDEX audit_entry_type ON audit_entry (type, seq);
      CREATE INDEX audit_entry_actor ON audit_entry (actor, seq);
      CREATE INDEX audit_entry_time ON audit_entry (time);
      CREATE TABLE audit_subject (
        subject TEXT NOT NULL,
        seq {{bigint}} NOT NULL,
        PRIMARY KEY (subject, seq)
      );
      CREATE TABLE audit_checkpoint (
        seq {{bigint}} PRIMARY KEY,
        head_hash TEXT NOT NULL,
        time TEXT NOT NULL,
        key_id TEXT NOT NULL,
        signature {{blob}} NOT NULL
      )`,
  },
  {
    // The subject index as its primary key alone: on SQLite a rowid table wrote a second
    // b-tree (and a page) for every subject of every entry, the audit's largest write cost.
    capability: 'audit',
    version: 2,
    sql: `CREATE TABLE audit_subject_by_key (
        subject TEXT NOT NULL,
        seq {{bigint}} NOT NULL,
        PRIMARY KEY (subject, seq)
      ){{withoutRowid}};
      INSERT INTO audit_subject_by_key (subject, seq) SELECT subject, seq FROM audit_subject;
      DROP TABLE audit_subject;
      ALTER TABLE audit_subject_by_key RENAME TO audit_subject`,
  },
];
