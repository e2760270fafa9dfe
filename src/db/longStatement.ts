/**
 * Which generated statements may run long: those that read or write a table's rows (a fill
 * UPDATE, a CREATE INDEX, an ALTER TABLE that validates or rewrites). PostgreSQL sends the
 * completions of a multi-statement message only when the whole message is done (its output is
 * buffered until then), so within one message strata cannot see which statement is running;
 * starting a new message at each of these keeps a slow statement at the head of its own message,
 * where "nothing of this message completed yet" names it exactly. Cheap catalog statements keep
 * travelling together. A wrong guess costs one round trip, never correctness.
 */

/** strata's generators write keywords in upper case, so identifiers (quoted) rarely match; one regex test per statement */
const ROW_WORK = /^(?:UPDATE|INSERT|DELETE|CREATE (?:UNIQUE )?INDEX|REINDEX|CLUSTER|VACUUM|ALTER TABLE .*(?:SET NOT NULL|TYPE |FOREIGN KEY|UNIQUE|PRIMARY KEY|CHECK|VALIDATE CONSTRAINT))/s

export const mayRunLong = (sql: string): boolean => ROW_WORK.test(sql)
