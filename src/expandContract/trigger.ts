/**
 * A compatibility trigger: a PL/pgSQL function and a BEFORE INSERT OR UPDATE row trigger of the
 * same deterministic name (names.ts), both commented `strata compatibility: <why>`. Created so
 * that a repeated run replaces them; dropped with IF EXISTS.
 */
import { commentSql, q } from './names.js'

/** the statements creating the function (`body` between BEGIN and END, RETURN NEW included) and its trigger */
export const compatibilityTriggerSql = (name: string, table: string, body: string, why: string): string[] => {
	const [fn, trigger, on] = [q(name), q(name), q(table)]
	return [
		`CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $strata$\nBEGIN\n${body}\n\tRETURN NEW;\nEND\n$strata$`,
		`DROP TRIGGER IF EXISTS ${trigger} ON ${on}`,
		`CREATE TRIGGER ${trigger} BEFORE INSERT OR UPDATE ON ${on} FOR EACH ROW EXECUTE FUNCTION ${fn}()`,
		commentSql(`FUNCTION ${fn}()`, why),
		commentSql(`TRIGGER ${trigger} ON ${on}`, why),
	]
}

export const dropCompatibilityTriggerSql = (name: string, table: string): string[] =>
	[`DROP TRIGGER IF EXISTS ${q(name)} ON ${q(table)}`, `DROP FUNCTION IF EXISTS ${q(name)}()`]
