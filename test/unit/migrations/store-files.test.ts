/**
 * The file edges of migrations: file-system failures are user errors naming the path and the
 * operation, labels have a length limit, symbolic links never leak a foreign file's content,
 * and `.strata/` ignores itself.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createOutput, reportError } from '../../../src/cli/output.js'
import { environmentFileSystemError, ExitCode, FileSystemError, ValidationError } from '../../../src/errors.js'
import { MAX_LABEL_LENGTH, migrationFileName, validateLabel } from '../../../src/migrations/naming.js'
import { ensureStateDir } from '../../../src/migrations/stateDir.js'
import { readMigrations, writeMigrationFile } from '../../../src/migrations/store.js'

const tempDir = () => mkdtempSync(join(tmpdir(), 'strata-store-'))
const errnoError = (code: string, syscall: string, path: string) => Object.assign(new Error(`${code}: failed, ${syscall} '${path}'`), { code, syscall, path, errno: -1 })

const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
	try {
		await promise
	} catch (error) {
		return error
	}
	throw new Error('expected a failure')
}

describe('labels', () => {
	it(`accept up to ${MAX_LABEL_LENGTH} characters, giving a file name well under 255 bytes`, () => {
		const longest = 'a'.repeat(MAX_LABEL_LENGTH)
		expect(validateLabel(longest)).toBe(longest)
		// the temporary name adds a dot, the pid and a random suffix
		expect(Buffer.byteLength(`.${migrationFileName('2024-05-01-120000', longest)}.4194304.abcdef01.tmp`)).toBeLessThan(200)
	})

	it('reject a longer one without echoing it', () => {
		const label = `x${'-a'.repeat(MAX_LABEL_LENGTH)}`
		expect(() => validateLabel(label)).toThrow(`The migration name is too long (${label.length} characters); use at most ${MAX_LABEL_LENGTH}`)
		try {
			validateLabel(label)
		} catch (error) {
			expect((error as Error).message).not.toContain(label.slice(0, 20))
		}
	})
})

describe('file-system errors', () => {
	it('writing a migration whose name the file system refuses is a user error naming the path', async () => {
		const dir = tempDir()
		const name = `2024-05-01-120000-${'a'.repeat(300)}`
		const error = await rejection(writeMigrationFile(dir, name, '{}'))
		expect(error).toBeInstanceOf(FileSystemError)
		expect((error as FileSystemError).exitCode).toBe(ExitCode.userError)
		expect((error as Error).message).toBe(`Cannot write ${join(dir, `${name}.json`)}: the file name is too long for the file system (ENAMETOOLONG).`)
	})

	it('writing into a path blocked by a file is a user error', async () => {
		const root = tempDir()
		writeFileSync(join(root, 'blocker'), '')
		const error = await rejection(writeMigrationFile(join(root, 'blocker', 'migrations'), '2024-05-01-120000-x', '{}'))
		expect(error).toBeInstanceOf(FileSystemError)
		expect((error as Error).message).toMatch(/^Cannot write .*blocker.*: a part of the path is not a directory \(ENOTDIR\)\.$/)
	})

	it.each([
		['EACCES', 'open', 'permission denied', 'access'],
		['EROFS', 'mkdir', 'the file system is read-only', 'create'],
		['ENOSPC', 'write', 'no space left on the device', 'write'],
		['EPERM', 'rename', 'operation not permitted', 'write'],
	])('%s from %s reaches the terminal as a user error, not as a bug', (code, syscall, reason, operation) => {
		const path = '/project/migrations/x.json'
		expect(environmentFileSystemError(errnoError(code, syscall, path))?.message).toBe(`Cannot ${operation} ${path}: ${reason} (${code}).`)
		const chunks: string[] = []
		const sink = { write: (text: string) => chunks.push(text) } as unknown as NodeJS.WritableStream
		const exit = reportError(errnoError(code, syscall, path), createOutput({ color: false }, { stdout: sink, stderr: sink }), {})
		expect(exit).toBe(ExitCode.userError)
		expect(chunks.join('')).toContain(`error: Cannot ${operation} ${path}: ${reason} (${code}).`)
		expect(chunks.join('')).not.toContain('bug in strata')
	})

	it('leaves errors that point at a strata bug alone', () => {
		expect(environmentFileSystemError(errnoError('ENOENT', 'open', '/x'))).toBeUndefined()
		expect(environmentFileSystemError(new TypeError('x is undefined'))).toBeUndefined()
	})
})

describe('symbolic links in the migrations directory', () => {
	const secret = 'TOP-SECRET-CONTENT not json at all'
	const setUp = () => {
		const outside = tempDir()
		writeFileSync(join(outside, 'secret.txt'), secret)
		const root = tempDir()
		mkdirSync(join(root, 'migrations'))
		mkdirSync(join(root, 'shared'))
		return { outside, root, dir: join(root, 'migrations') }
	}

	it('refuses a link to a file outside the project by name, without its content', async () => {
		const { outside, root, dir } = setUp()
		symlinkSync(join(outside, 'secret.txt'), join(dir, '2024-05-01-120000-foreign.json'))
		const error = await rejection(readMigrations(dir, { projectRoot: root }))
		expect(error).toBeInstanceOf(ValidationError)
		const [problem] = (error as ValidationError).problems
		expect(problem).toMatchObject({ file: '2024-05-01-120000-foreign.json' })
		expect(problem!.message).toContain('is a symbolic link to a file outside the project')
		expect((error as Error).message).not.toContain('TOP-SECRET')
	})

	it('refuses a dangling link', async () => {
		const { dir } = setUp()
		symlinkSync(join(dir, 'nowhere.json'), join(dir, '2024-05-01-120000-dangling.json'))
		const error = await rejection(readMigrations(dir))
		expect((error as ValidationError).problems[0]!.message).toContain('is a symbolic link to a file that does not exist')
	})

	it('follows a link that stays inside the project', async () => {
		const { root, dir } = setUp()
		writeFileSync(join(root, 'shared', 'init.json'), '{ "formatVersion": 6, "modifications": [] }\n')
		symlinkSync(join('..', 'shared', 'init.json'), join(dir, '2024-05-01-120000-init.json'))
		const files = await readMigrations(dir)
		expect(files.map(it => it.name)).toEqual(['2024-05-01-120000-init'])
	})
})

describe('.strata/', () => {
	it('gets a .gitignore of "*" when strata creates it', async () => {
		const root = tempDir()
		await ensureStateDir(join(root, '.strata'))
		expect(readFileSync(join(root, '.strata', '.gitignore'), 'utf8')).toBe('*\n')
	})

	it('is left as it is when it already exists', async () => {
		const root = tempDir()
		mkdirSync(join(root, '.strata'))
		await ensureStateDir(join(root, '.strata'))
		expect(existsSync(join(root, '.strata', '.gitignore'))).toBe(false)
	})
})
