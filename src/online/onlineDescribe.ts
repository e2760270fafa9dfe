/**
 * A migration's fold steps (one per modification) with their SQL in the online form, for
 * describe and lint: they show and judge what `migrations:execute` will run. Placeholder
 * comments of drops resolved at execution stay where they were. Pure.
 */
import type { ModificationStep } from '../modifications/fold.js'
import { SqlBuilder } from '../sql/builder.js'
import { OnlineRewriter } from './onlineStatement.js'

/** each step with its statements rewritten; `version` names the objects the online strategy creates */
export const withOnlineSql = <Step extends Pick<ModificationStep, 'sql'>>(version: string, steps: readonly Step[]): Step[] => {
	const rewriter = new OnlineRewriter(version)
	return steps.map(step => {
		const sql = new SqlBuilder()
		for (const item of step.sql.items) {
			if (item.kind === 'comment') appendComment(sql, item.sql)
			else for (const segment of rewriter.rewrite(item.sql)) sql.statement(segment.sql)
		}
		return { ...step, sql }
	})
}

/** a `-- …` comment item, as the generator wrote it (SqlBuilder.comment would prefix `-- ` again) */
const appendComment = (sql: SqlBuilder, text: string) => sql.comment(text.split('\n').map(line => line.replace(/^-- /, '')).join('\n'))
