// Deterministic randomness for the workload generator: a string seed is hashed (FNV-1a, 32 bit)
// into the state of a mulberry32 generator, so the same seed gives the same workload everywhere.

const hashSeed = text => {
	let hash = 0x811c9dc5
	for (const char of String(text)) {
		hash ^= char.codePointAt(0)
		hash = Math.imul(hash, 0x01000193) >>> 0
	}
	return hash
}

export const createRandom = seed => {
	let state = hashSeed(seed)
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0
		let t = state
		t = Math.imul(t ^ (t >>> 15), t | 1)
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296
	}
	const int = (min, max) => min + Math.floor(next() * (max - min + 1))
	const pick = items => items[Math.floor(next() * items.length)]
	const chance = probability => next() < probability
	/** `entries`: [[value, weight], ...] */
	const weighted = entries => {
		const total = entries.reduce((sum, [, weight]) => sum + weight, 0)
		let roll = next() * total
		for (const [value, weight] of entries) {
			roll -= weight
			if (roll < 0) return value
		}
		return entries[entries.length - 1][0]
	}
	const shuffle = items => {
		const out = [...items]
		for (let i = out.length - 1; i > 0; i--) {
			const j = Math.floor(next() * (i + 1))
			;[out[i], out[j]] = [out[j], out[i]]
		}
		return out
	}
	return { next, int, pick, chance, weighted, shuffle }
}
