/**
 * Every CLI command, in the order `--help` lists them. ESM has no yargs commandDir, so each
 * command module is added here by hand: one import line and one array entry per command.
 * A handler throws StrataError (its exitCode is used) or resolves to a number (the exit code).
 */
import type { CommandModule } from 'yargs'
import blank from './blank.js'
import describe from './describe.js'
import lint from './lint.js'
import diff from './diff.js'
import execute from './execute.js'
import status from './status.js'
import validate from './validate.js'
import snapshot from './snapshot.js'
import verifySnapshot from './verify-snapshot.js'
import amend from './amend.js'
import rebase from './rebase.js'
import rollback from './rollback.js'
import drift from './drift.js'
import exportSchema from './export.js'
import baseline from './baseline.js'
import introspect from './introspect.js'
import adoptContember from './adopt-contember.js'

export const commands: CommandModule<any, any>[] = [
	blank,
	describe,
	lint,
	diff,
	execute,
	status,
	validate,
	snapshot,
	verifySnapshot,
	amend,
	rebase,
	rollback,
	drift,
	exportSchema,
	baseline,
	introspect,
	adoptContember,
]
