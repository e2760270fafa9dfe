/**
 * Errors strata raises on purpose. Every user-facing failure is a StrataError with a stable
 * `code` and an exit code; anything else reaching the CLI is a bug (exit 70).
 */
export const ExitCode = {
	ok: 0,
	userError: 1,
	migrationFailed: 2,
	checkFailed: 3,
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
