/**
 * Migration checksums: sha256 over the canonical JSON (sorted keys, no whitespace) of
 * `{ formatVersion, modifications }`. Reformatting a file or reordering its keys never changes
 * the checksum; changing what it means (including its formatVersion) always does.
 * `skippedErrors` is not covered, so it can be added to an executed migration (as in Contember).
 */
import { createHash } from 'node:crypto'
import type { Modification } from '../modifications/types.js'
import { canonicalJson } from '../schema/compare.js'

export const CHECKSUM_ALGORITHM = 'sha256'

export const migrationChecksum = (content: { readonly formatVersion: number; readonly modifications: readonly Modification[] }): string => {
	const canonical = canonicalJson({ formatVersion: content.formatVersion, modifications: content.modifications })
	return `${CHECKSUM_ALGORITHM}:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`
}
