/**
 * Errors strata raises on purpose. Every user-facing failure is a StrataError with a stable
 * `code` and an exit code; anything else reaching the CLI is a bug (exit 70).
 */
export const ExitCode = {
	ok: 0,
	userError: 1,
	migrationFailed: 2,
	checkFailed: 3,
	/** interrupted (Ctrl-C, SIGINT, SIGTERM): 128 + SIGINT, as shells report it */
	interrupted: 130,
	internal: 70,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

export class StrataError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly exitCode: ExitCode = ExitCode.userError,
		options?: { cause?: unknown },
	) {
		super(message, options)
		this.name = new.target.name
	}
}

/** A location inside a file: which migration, which modification, which JSON path. */
export interface Problem {
	readonly file?: string
	readonly modificationIndex?: number
	/** JSON pointer-ish path, e.g. `/modifications/3/field/type` or `model.entities.Post.fields.author` */
	readonly path: string
	readonly message: string
	readonly code?: string
}

export const formatProblem = (problem: Problem): string => {
	const where = [
		problem.file,
		problem.modificationIndex !== undefined ? `modification #${problem.modificationIndex}` : undefined,
		problem.path || undefined,
	].filter(Boolean).join(' › ')
	return `${where ? `${where}: ` : ''}${problem.message}${problem.code ? ` [${problem.code}]` : ''}`
}

/** Bad input: many problems, all reported at once. */
export class ValidationError extends StrataError {
	constructor(readonly summary: string, readonly problems: readonly Problem[], code = 'INVALID_INPUT') {
		super(code, `${summary}\n${problems.map(p => `  - ${formatProblem(p)}`).join('\n')}`)
	}
}

/** A modification does not fit the schema it is applied to (e.g. "Field Post.author not found"). */
export class ModificationApplyError extends StrataError {
	constructor(message: string) {
		super('MODIFICATION_NOT_APPLICABLE', message)
	}
}

/** A strata bug, e.g. the differ's round trip failed. */
export class InternalError extends StrataError {
	constructor(message: string, options?: { cause?: unknown }) {
		super('INTERNAL', `${message}\nThis is a bug in strata; please report it with the command you ran.`, ExitCode.internal, options)
	}
}

const fileSystemReasons: Readonly<Record<string, string>> = {
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	EROFS: 'the file system is read-only',
	ENAMETOOLONG: 'the file name is too long for the file system',
	ENOSPC: 'no space left on the device',
	EDQUOT: 'the disk quota is exceeded',
	EISDIR: 'it is a directory',
	ENOTDIR: 'a part of the path is not a directory',
	ENOENT: 'it does not exist',
	ELOOP: 'too many levels of symbolic links',
	EMFILE: 'too many open files',
	ENFILE: 'too many open files',
	EBUSY: 'the resource is busy',
	EIO: 'an input/output error',
	EEXIST: 'it already exists',
}

/** the errno code of a Node file-system error, if it is one */
export const fileSystemErrorCode = (error: unknown): string | undefined => {
	const code = (error as NodeJS.ErrnoException | undefined)?.code
	return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined
}

export type FileOperation = 'read' | 'write' | 'create' | 'list' | 'remove' | 'access'

/**
 * An ordinary file-system failure on a project file (permissions, read-only, name too long,
 * disk full): the user's to fix, so exit 1 with the path and the operation, not an internal error.
 */
export class FileSystemError extends StrataError {
	constructor(cause: unknown, readonly operation: FileOperation, readonly path: string) {
		const errno = fileSystemErrorCode(cause)
		const reason = (errno && fileSystemReasons[errno]) ?? (cause instanceof Error ? cause.message : String(cause))
		super('FILE_SYSTEM', `Cannot ${operation} ${path}: ${reason}${errno ? ` (${errno})` : ''}.`, ExitCode.userError, { cause })
	}
}

/** errno codes that describe the user's environment (permissions, disk, names), not a strata bug */
const ENVIRONMENT_ERRNOS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENAMETOOLONG', 'ENOSPC', 'EDQUOT', 'EISDIR', 'ENOTDIR', 'ELOOP', 'EMFILE', 'ENFILE', 'EIO', 'EBUSY'])
const operationOfSyscall: Readonly<Record<string, FileOperation>> = {
	open: 'access', read: 'read', readFile: 'read', write: 'write', writeFile: 'write', mkdir: 'create', mkdtemp: 'create',
	rename: 'write', link: 'write', symlink: 'write', copyfile: 'write', unlink: 'remove', rmdir: 'remove', rm: 'remove', scandir: 'list', opendir: 'list',
}

/**
 * A Node file-system error caused by the environment (a read-only folder, a full disk, a name too
 * long) as a FileSystemError; undefined for anything else. The CLI's last line of defence, so
 * that such an error never reads as a bug in strata whichever code path hit it.
 */
export const environmentFileSystemError = (error: unknown): FileSystemError | undefined => {
	const { code, syscall, path } = (error ?? {}) as NodeJS.ErrnoException
	if (code === undefined || !ENVIRONMENT_ERRNOS.has(code) || typeof path !== 'string') return undefined
	return new FileSystemError(error, (syscall && operationOfSyscall[syscall]) || 'access', path)
}
