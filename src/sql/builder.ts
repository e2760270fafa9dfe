/**
 * Collects the statements of one modification (or one migration). Pure: no I/O.
 * Statements are stored without their terminating `;`, comments as `-- …` lines.
 */
export interface SqlStatement {
	readonly kind: 'statement' | 'comment'
	readonly sql: string
}

export class SqlBuilder {
	readonly #items: SqlStatement[] = []

	/** add one statement; a trailing `;` is optional and removed */
	statement(sql: string): this {
		const trimmed = sql.trim().replace(/;\s*$/, '')
		if (trimmed !== '') this.#items.push({ kind: 'statement', sql: trimmed })
		return this
	}

	/** an explanatory comment for reviewers (e.g. a name resolved only at execution) */
	comment(text: string): this {
		this.#items.push({ kind: 'comment', sql: text.split(/\r?\n/).map(line => `-- ${line}`).join('\n') })
		return this
	}

	get items(): readonly SqlStatement[] {
		return this.#items
	}

	get statements(): readonly string[] {
		return this.#items.filter(it => it.kind === 'statement').map(it => it.sql)
	}

	get isEmpty(): boolean {
		return this.#items.length === 0
	}

	/** the script: each statement terminated with `;`, one per line */
	toString(): string {
		return this.#items.map(it => (it.kind === 'statement' ? `${it.sql};` : it.sql)).join('\n')
	}
}
