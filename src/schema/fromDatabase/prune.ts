/**
 * The last step: strata's own validation of the built schema. Whatever it still finds wrong
 * is left out of the draft and reported (code and message), never written: the field, key,
 * entity or enum the problem's path names, then what depended on it (relations to a removed
 * entity, the other side of a removed relation, keys over a removed field, views reading a
 * removed entity, columns of a removed enum). Repeated until the schema is valid.
 */
import { InternalError, type Problem } from '../../errors.js'
import { isColumn } from '../model.js'
import { validateSchema } from '../validate.js'
import { buildSchema } from './build.js'
import type { Draft, DraftEntity } from './draft.js'

const removeField = (entity: DraftEntity, name: string) => {
	entity.fields.delete(name)
	for (const [column, field] of entity.fieldOfColumn) if (field === name) entity.fieldOfColumn.delete(column)
}

/** drops what refers to something no longer in the draft; true when anything was dropped */
const cascade = (draft: Draft, report: (name: string, table: string | undefined, reason: string) => void): boolean => {
	let changed = false
	const byName = new Map([...draft.entities.values()].map(entity => [entity.name, entity]))
	for (const [table, entity] of draft.entities) {
		const gone = entity.view?.dependencies?.find(name => !byName.has(name))
		if (gone !== undefined) {
			draft.entities.delete(table)
			report(table, table, `it reads ${gone}, which is left out`)
			changed = true
		}
	}
	for (const entity of draft.entities.values()) {
		for (const field of [...entity.fields.values()]) {
			if (isColumn(field)) {
				if (field.type === 'Enum' && !(field.columnType in draft.enums)) {
					removeField(entity, field.name)
					report(`${entity.table}.${field.columnName}`, entity.table, `its enum ${field.columnType} is left out`)
					changed = true
				}
				continue
			}
			const target = [...draft.entities.values()].find(it => it.name === field.target)
			const other = 'ownedBy' in field ? field.ownedBy : field.inversedBy
			if (!target || ('ownedBy' in field && !target.fields.has(field.ownedBy))) {
				removeField(entity, field.name)
				report(`${entity.name}.${field.name}`, entity.table, `the relation's ${target ? 'owning side' : `target ${field.target}`} is left out`)
				changed = true
			} else if (other !== undefined && !target.fields.has(other)) {
				const { inversedBy: _dropped, ...owning } = field as typeof field & { inversedBy?: string }
				entity.fields.set(field.name, owning)
				changed = true
			}
		}
		const known = (fields: readonly string[]) => fields.every(field => entity.fields.has(field))
		const keep = <T extends { fields: readonly string[]; include?: readonly string[] }>(list: T[], what: string) => {
			for (let i = list.length - 1; i >= 0; i--) {
				if (known(list[i]!.fields) && known(list[i]!.include ?? [])) continue
				report(`${entity.table}(${list[i]!.fields.join(', ')})`, entity.table, `a ${what} over a field that is left out`)
				list.splice(i, 1)
				changed = true
			}
		}
		keep(entity.unique, 'unique key')
		keep(entity.indexes, 'index')
	}
	return changed
}

/** removes what `problem` points at; false when its path names nothing removable */
const removeProblem = (draft: Draft, problem: Problem): boolean => {
	const [root, kind, name, part, key] = problem.path.split('.')
	if (root !== 'model') return false
	if (kind === 'enums' && name !== undefined && name in draft.enums) {
		delete draft.enums[name]
		return true
	}
	const entity = [...draft.entities.values()].find(it => it.name === name)
	if (kind !== 'entities' || !entity) return false
	if (part === 'unique' || part === 'indexes') {
		const list: unknown[] = part === 'unique' ? entity.unique : entity.indexes
		const index = Number(key)
		if (!Number.isInteger(index) || index >= list.length) return false
		list.splice(index, 1)
		return true
	}
	if (part === 'fields' && key !== undefined && key !== entity.primary && entity.fields.has(key)) {
		// the other side of a relation goes in cascade()
		removeField(entity, key)
		return true
	}
	draft.entities.delete(entity.table)
	return true
}

export const pruneInvalid = (draft: Draft): void => {
	const report = (name: string, table: string | undefined, reason: string) =>
		draft.unrepresentable.push({ kind: 'validation', name, ...(table !== undefined ? { table } : {}), reason })
	for (let round = 0; round < 50; round++) {
		while (cascade(draft, report));
		const problems = validateSchema(buildSchema(draft))
		if (problems.length === 0) return
		// one problem at a time: the indices of the others move when something is removed
		const problem = problems[0]!
		if (!removeProblem(draft, problem)) break
		report(problem.path.replace(/^model\.(entities|enums)\./, ''), undefined, `strata's validation refuses it: ${problem.message} [${problem.code}]; left out`)
	}
	const remaining = validateSchema(buildSchema(draft))
	if (remaining.length > 0) throw new InternalError(`db:introspect built a schema strata's validation refuses: ${remaining[0]!.path}: ${remaining[0]!.message}`)
}
