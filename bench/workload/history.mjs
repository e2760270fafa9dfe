// A whole workload in memory: the initial migration, K further migrations and M pending changes,
// each modification applied to the generator's own model as it is made.
import { createFeatures } from './features.mjs'
import { applyModification, cloneSchema, emptySchema } from './model.mjs'
import { createNames } from './names.mjs'
import { createRandom } from './random.mjs'

/** feature weights of the history (per feature, a migration holds one to three) */
const HISTORY_MIX = [
	['addColumns', 26], ['addRelation', 13], ['addConstraint', 10], ['changeColumn', 9], ['renameField', 7], ['addEntity', 6],
	['removeField', 6], ['relationTweak', 6], ['addEnum', 4], ['changeEnum', 4], ['acl', 4], ['renameEntity', 1.5],
	['renameColumn', 1], ['removeEntity', 0.5],
]
/** pending changes: only what a schema differ can see (no renames) */
const PENDING_MIX = [
	['addColumns', 26], ['addRelation', 13], ['addConstraint', 10], ['changeColumn', 9], ['addEntity', 6], ['removeField', 6],
	['relationTweak', 6], ['addEnum', 4], ['changeEnum', 4], ['acl', 2], ['removeEntity', 0.5],
]

const START = Date.UTC(2019, 1, 1, 9, 0, 0)
const SPAN_SECONDS = 6 * 365 * 24 * 3600

const pad = (n, width = 2) => String(n).padStart(width, '0')
const versionOf = ms => {
	const d = new Date(ms)
	return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`
}
const slugOf = label => label.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60).replace(/-+$/, '') || 'change'

/**
 * The initial schema comes in parts of at most this many entities. One migration runs in one
 * transaction, and every table, index and sequence it creates holds a lock until COMMIT: with
 * PostgreSQL's default lock table (max_locks_per_transaction 64 × max_connections 100) a single
 * migration creating 1,500 tables runs out of shared memory (53200). Real projects grow in steps too.
 */
const INITIAL_PART_ENTITIES = 300

/** one part of the initial schema: enums, entities, columns, relations (also to earlier parts), unique constraints, indexes, ACL */
const initialMigration = (ctx, tools, entityCount) => {
	const { random } = ctx
	const created = Array.from({ length: entityCount }, () => tools.newEntity())
	// relations may also point at entities of earlier parts
	const targets = ctx.entityList.length > created.length ? ctx.entityList.slice() : created
	const enumOf = new Map(created.filter(() => random.chance(0.15)).map(entity => [entity, tools.newEnum(entity)]))
	// enums first, as a differ orders them
	ctx.modifications.unshift(...ctx.modifications.splice(entityCount))
	for (const entity of created) {
		const count = random.int(3, 9)
		for (let i = 0; i < count; i++) tools.newColumn(entity, { fresh: true })
		if (enumOf.has(entity)) tools.newColumn(entity, { fresh: true, enumName: enumOf.get(entity) })
	}
	for (let i = 0; i < Math.round(entityCount * 0.8); i++) {
		tools.newRelation(random.pick(created), random.pick(targets), 'ManyHasOne', { inverse: random.chance(0.75), fresh: true })
	}
	for (let i = 0; i < Math.round(entityCount * 0.35); i++) {
		const owner = random.pick(created)
		tools.newRelation(owner, random.chance(0.1) ? owner : random.pick(targets), tools.relationKind(), { fresh: true })
	}
	for (let i = 0; i < Math.round(entityCount * 0.2); i++) tools.newUnique(random.pick(created))
	for (let i = 0; i < Math.round(entityCount * 0.25); i++) tools.newIndex(random.pick(created))
	tools.features.acl()
	return 'init'
}

/** `mix` features, one to three, until at least one fits */
const featureMigration = (ctx, tools, mix) => {
	const labels = []
	const wanted = ctx.random.weighted([[1, 6], [2, 3], [3, 1]])
	for (let attempt = 0; labels.length < wanted && attempt < 20; attempt++) {
		const label = tools.features[ctx.random.weighted(mix)]()
		if (label !== undefined) labels.push(label)
	}
	return labels[0] ?? 'change'
}

/**
 * `{ entities, migrations, pending, seed }` → `{ files: [{ name, content }], replayed, declared, pending, counts }`.
 * The first 40% of the files use format version 5, the rest version 6.
 */
export const generateWorkload = ({ entities, migrations, pending, seed }) => {
	const random = createRandom(seed)
	const ctx = {
		random,
		names: createNames(random),
		schema: emptySchema(),
		/** current entity name → the name it was created with (its identity for names and pins) */
		keys: new Map(),
		/** `<entity identity>.<field>`: columns an orderBy points at; never renamed or removed */
		pinned: new Set(),
		modifications: [],
		/** the model's entity objects in creation order (they are updated in place, so renames keep them) */
		entityList: [],
		emit: modification => {
			applyModification(ctx.schema, modification)
			if (modification.modification === 'createEntity') ctx.entityList.push(ctx.schema.model.entities[modification.entity.name])
			if (modification.modification === 'removeEntity') ctx.entityList = ctx.entityList.filter(entity => entity.name !== modification.entityName)
			ctx.modifications.push(modification)
		},
	}
	const tools = createFeatures(ctx)
	const files = []
	const step = SPAN_SECONDS / Math.max(1, migrations)
	let time = START
	const initialParts = Math.min(migrations + 1, Math.ceil(entities / INITIAL_PART_ENTITIES))
	for (let index = 0; index <= migrations; index++) {
		ctx.modifications = []
		const partEntities = Math.floor(entities / initialParts) + (index < entities % initialParts ? 1 : 0)
		const label = index < initialParts ? initialMigration(ctx, tools, partEntities) : featureMigration(ctx, tools, HISTORY_MIX)
		if (ctx.modifications.length === 0) ctx.emit({ modification: 'patchAclSchema', patch: [{ op: 'add', path: '/roles/auditor', value: { variables: {}, entities: {} } }] })
		const formatVersion = index < Math.ceil((migrations + 1) * 0.4) ? 5 : 6
		files.push({ name: `${versionOf(time)}-${slugOf(label)}`, content: { formatVersion, modifications: ctx.modifications } })
		time += Math.max(1, Math.round(step * (0.3 + random.next() * 1.4))) * 1000
	}
	const replayed = cloneSchema(ctx.schema)
	ctx.modifications = []
	for (let attempt = 0; ctx.modifications.length < pending && attempt < pending * 20; attempt++) {
		tools.features[random.weighted(PENDING_MIX)]()
	}
	return { files, replayed, declared: ctx.schema, pending: ctx.modifications }
}
