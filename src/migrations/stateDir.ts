/**
 * `<project>/.strata/`: strata's local state (the embedded database, the dev journal). Never
 * meant for version control, so the folder ignores itself when strata creates it.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { FileSystemError } from '../errors.js'

export const STATE_DIR_NAME = '.strata'

/** Creates `dir` (and its parents); a `.strata` folder created here gets a `.gitignore` of `*`. */
export const ensureStateDir = async (dir: string): Promise<void> => {
	const created = await mkdir(dir, { recursive: true }).catch((error: unknown) => {
		throw new FileSystemError(error, 'create', dir)
	})
	// mkdir returns the first folder it created: undefined when `dir` existed already
	if (created === undefined || basename(dir) !== STATE_DIR_NAME) return
	await writeFile(join(dir, '.gitignore'), '*\n', { flag: 'wx' }).catch(() => undefined)
}
