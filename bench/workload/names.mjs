// Names for entities, fields, tables and enums. A name handed out once is never handed out again
// in the same workload (even after a rename or removal), so every table, column, constraint and
// index of the whole history has its own name and the history's SQL runs on PostgreSQL.

const NOUNS = [
	'Article', 'Author', 'Category', 'Comment', 'Invoice', 'Order', 'Product', 'Customer', 'Address', 'Payment',
	'Shipment', 'Warehouse', 'Supplier', 'Review', 'Tag', 'Page', 'Menu', 'Banner', 'Event', 'Venue', 'Ticket',
	'Speaker', 'Session', 'Course', 'Lesson', 'Student', 'Teacher', 'Grade', 'Project', 'Task', 'Milestone',
	'Team', 'Member', 'Role', 'Document', 'Folder', 'Image', 'Video', 'Gallery', 'Post', 'Thread', 'Forum',
	'Survey', 'Question', 'Answer', 'Campaign', 'Coupon', 'Discount', 'Region', 'Country', 'City', 'Store',
	'Employee', 'Department', 'Contract', 'Partner', 'Vehicle', 'Route', 'Booking', 'Room', 'Hotel', 'Recipe',
	'Ingredient', 'Menu', 'Playlist', 'Track', 'Album', 'Artist', 'Podcast', 'Episode', 'Newsletter', 'Subscriber',
	'Report', 'Metric', 'Dashboard', 'Widget', 'Ledger', 'Account', 'Budget', 'Expense', 'Asset', 'License',
]
const QUALIFIERS = [
	'Archived', 'Featured', 'Draft', 'Public', 'Internal', 'Seasonal', 'Local', 'Global', 'Partner', 'Legacy',
	'Premium', 'Daily', 'Weekly', 'Shared', 'Private', 'Primary', 'Linked', 'Pending', 'Verified', 'Custom',
	'Scheduled', 'Regional', 'Digital', 'Physical', 'Annual', 'Pinned', 'Hidden', 'Promoted', 'Imported', 'Manual',
]
const FIELD_WORDS = [
	'title', 'slug', 'label', 'body', 'summary', 'note', 'position', 'rank', 'price', 'weight', 'height', 'width',
	'quantity', 'score', 'rating', 'code', 'email', 'phone', 'url', 'color', 'status', 'level', 'priority',
	'publishedAt', 'startsAt', 'endsAt', 'validFrom', 'validTo', 'birthday', 'deadline', 'isActive', 'isPublic',
	'isFeatured', 'metadata', 'settings', 'payload', 'externalId', 'reference', 'locale', 'currency', 'amount',
	'discount', 'capacity', 'duration', 'views', 'likes', 'description', 'headline', 'subtitle', 'caption',
]
const FIELD_PREFIXES = ['main', 'extra', 'public', 'internal', 'legacy', 'custom', 'default', 'secondary', 'original', 'display']
const RELATION_WORDS = ['owner', 'parent', 'source', 'origin', 'primary', 'linked', 'related', 'featured', 'assigned', 'default']
const ENUM_VALUES = [
	'draft', 'active', 'archived', 'pending', 'approved', 'rejected', 'hidden', 'low', 'medium', 'high', 'urgent',
	'small', 'large', 'red', 'green', 'blue', 'daily', 'weekly', 'monthly', 'yearly', 'new', 'used', 'open', 'closed',
]

const upperFirst = text => text[0].toUpperCase() + text.slice(1)
export const snakeCase = text => text.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()

/** first candidate not yet in `used` (then `base2`, `base3`...); remembers it */
const claim = (used, candidates, base) => {
	for (const candidate of candidates) {
		if (!used.has(candidate)) {
			used.add(candidate)
			return candidate
		}
	}
	for (let n = 2; ; n++) {
		if (!used.has(`${base}${n}`)) {
			used.add(`${base}${n}`)
			return `${base}${n}`
		}
	}
}

export const createNames = random => {
	const entityNames = new Set(['Query', 'Mutation'])
	const tableNames = new Set()
	const enumNames = new Set()
	/** per entity (keyed by its first name, which stays its key across renames): every field name and column name it ever had */
	const fieldNames = new Map()
	const columnNames = new Map()
	const setOf = (map, key) => {
		if (!map.has(key)) map.set(key, new Set(['id']))
		return map.get(key)
	}
	const fieldSet = key => setOf(fieldNames, key)
	const columnSet = key => setOf(columnNames, key)

	const entity = () => {
		const noun = random.pick(NOUNS)
		const name = claim(entityNames, [noun, `${random.pick(QUALIFIERS)}${noun}`, `${random.pick(QUALIFIERS)}${noun}`], noun)
		// an entity X and an entity XMeta would collide in the API
		entityNames.add(`${name}Meta`)
		return name
	}
	const table = base => claim(tableNames, [base], `${base}_`)
	const enumName = base => {
		const name = claim(enumNames, [`${base}Enum`], `${base}Enum`)
		entityNames.add(name)
		return name
	}
	/** `key`: the entity's identity for names (stays the same across renames) */
	const field = (key, kind = 'column', hint) => {
		const used = fieldSet(key)
		const word = hint ?? (kind === 'relation' ? random.pick(RELATION_WORDS) : random.pick(FIELD_WORDS))
		const prefixed = `${random.pick(FIELD_PREFIXES)}${upperFirst(word)}`
		return claim(used, [word, prefixed, `${random.pick(FIELD_PREFIXES)}${upperFirst(word)}`], word)
	}
	/** a column name for a field, unused in the entity's table */
	const column = (key, base) => claim(columnSet(key), [base], `${base}_`)
	const enumValues = count => random.shuffle(ENUM_VALUES).slice(0, count)
	const unusedEnumValue = values => ENUM_VALUES.find(it => !values.includes(it)) ?? claim(new Set(values), [], 'value')
	return { entity, table, enumName, field, column, enumValues, unusedEnumValue }
}
