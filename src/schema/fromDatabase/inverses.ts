/**
 * The inverse side of every has-one relation, so the relation can be navigated from its
 * target too. Its name, on the target entity:
 * - one-has-many (inverse of many-has-one): the plural of the source entity, camelCased
 *   (`Post.author` → `Author.posts`);
 * - one-has-one inverse: the source entity, camelCased (`Profile.user` → `User.profile`);
 * - when the source has more than one such relation to the same target, or refers to itself,
 *   `By` + the owning field is appended (`Post.editor` → `Author.postsByEditor`,
 *   `Category.parent` → `Category.categoriesByParent`);
 * - a name the target already has takes a numeric suffix.
 */
import { hasJoiningColumn, type ManyHasOneRelation, type OneHasManyRelation, type OneHasOneInverseRelation, type OneHasOneOwningRelation } from '../model.js'
import { addField, type Draft, type DraftEntity } from './draft.js'
import { camelCase, plural } from './names.js'

const upperFirst = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`

export const addInverseSides = (draft: Draft): void => {
	const byName = new Map([...draft.entities.values()].map(entity => [entity.name, entity]))
	const owning: { source: DraftEntity; field: ManyHasOneRelation | OneHasOneOwningRelation }[] = []
	for (const source of draft.entities.values()) {
		for (const field of source.fields.values()) {
			if (hasJoiningColumn(field)) owning.push({ source, field })
		}
	}
	const perPair = new Map<string, number>()
	const pair = (source: string, target: string) => `${source}\u0000${target}`
	for (const { source, field } of owning) perPair.set(pair(source.name, field.target), (perPair.get(pair(source.name, field.target)) ?? 0) + 1)

	for (const { source, field } of owning) {
		const target = byName.get(field.target)!
		const base = field.type === 'ManyHasOne' ? plural(camelCase(source.name)) : camelCase(source.name)
		const ambiguous = perPair.get(pair(source.name, field.target))! > 1 || source === target
		const name = target.fieldNames.take(ambiguous ? `${base}By${upperFirst(field.name)}` : base)
		const inverse: OneHasManyRelation | OneHasOneInverseRelation = field.type === 'ManyHasOne'
			? { name, type: 'OneHasMany', target: source.name, ownedBy: field.name }
			: { name, type: 'OneHasOne', target: source.name, ownedBy: field.name, nullable: true }
		addField(target, inverse)
		source.fields.set(field.name, { ...field, inversedBy: name })
	}
}
