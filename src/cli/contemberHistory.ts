/**
 * Whether a project's migration history looks Contember-made, so that writing a file Contember
 * cannot read deserves a warning: a Contember project has a package.json depending on
 * `@contember/…` (beside the migrations or at the project root), or migration files of a format
 * strata never writes (formatVersion below 6, Contember's older releases).
 */
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

const dependsOnContember = async (dir: string): Promise<boolean> => {
	try {
		return (await readFile(join(dir, 'package.json'), 'utf8')).includes('"@contember/')
	} catch {
		return false
	}
}

/** `texts`: the history's file contents, when the caller has them (an older formatVersion gives it away) */
export const looksContemberMade = async (root: string, migrationsDir: string, texts: readonly string[] = []): Promise<boolean> => {
	for (const dir of new Set([root, dirname(migrationsDir), migrationsDir])) {
		if (await dependsOnContember(dir)) return true
	}
	return texts.some(text => /"formatVersion"\s*:\s*[1-5]\b/.test(text))
}
