/**
 * Writing a file so that readers see either the old state or the whole new file: the content goes
 * to a dot-prefixed temporary file (synced) beside the target, then takes the target's name.
 * Without `replace`, an existing target is an error and a concurrent writer cannot slip in
 * between the check and the write (link() refuses to replace).
 */
import { randomBytes } from 'node:crypto'
import { link, mkdir, open, rename, stat, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { FileSystemError, fileSystemErrorCode, StrataError } from './errors.js'

export interface AtomicWriteOptions {
	/** replace an existing target (default: refuse) */
	readonly replace?: boolean
	/** the error for an existing target when not replacing */
	readonly exists: () => StrataError
}

const write = async (target: string, content: string, options: AtomicWriteOptions): Promise<void> => {
	const dir = dirname(target)
	await mkdir(dir, { recursive: true })
	if (!options.replace && await stat(target).then(() => true, () => false)) throw options.exists()
	// dot-prefixed, so a crash never leaves something that lists as a migration or a schema
	const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
	const handle = await open(temp, 'wx')
	try {
		await handle.writeFile(content, 'utf8')
		await handle.sync()
	} catch (error) {
		// a full disk must not leave a partial temp file behind
		await handle.close().catch(() => undefined)
		await unlink(temp).catch(() => undefined)
		throw error
	}
	await handle.close()
	if (options.replace) {
		await rename(temp, target).catch(async (error: unknown) => {
			await unlink(temp).catch(() => undefined)
			throw error
		})
		return
	}
	try {
		// link() fails with EEXIST instead of replacing, which closes the race with a concurrent writer
		await link(temp, target)
		await unlink(temp)
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code
		if (code === 'EEXIST') {
			await unlink(temp).catch(() => undefined)
			throw options.exists()
		}
		// file systems without hard links: rename after the existence check above
		if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS') await rename(temp, target)
		else {
			await unlink(temp).catch(() => undefined)
			throw error
		}
	}
}

/** writes `target` atomically; a file-system failure (permissions, a full disk) is a user error naming the path */
export const writeFileAtomically = async (target: string, content: string, options: AtomicWriteOptions): Promise<void> => {
	try {
		await write(target, content, options)
	} catch (error) {
		if (!(error instanceof StrataError) && fileSystemErrorCode(error) !== undefined) throw new FileSystemError(error, 'write', target)
		throw error
	}
}
