/**
 * A `conversion` (strata's extension of updateColumnDefinition) is written into the type
 * change as `USING (<expression>)`. It must stay one expression there: a `;` would end the
 * statement and start another, an unbalanced `)` would close the USING early, and a `--`
 * comment would swallow the closing parenthesis. Literals, quoted identifiers and dollar
 * quotes may hold anything. Pure.
 */

const DOLLAR_TAG = /\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/y

/** what is wrong with `expression` as the body of USING (…), or undefined when nothing is */
export const conversionExpressionProblem = (expression: string): string | undefined => {
	if (expression.trim() === '') return 'the conversion is empty; write an SQL expression that computes the new value from the old row'
	let depth = 0
	let i = 0
	while (i < expression.length) {
		const c = expression[i]!
		if (c === "'" || c === '"') {
			const close = c
			i++
			while (i < expression.length && !(expression[i] === close && expression[i + 1] !== close)) i += expression[i] === close ? 2 : 1
			if (i >= expression.length) return `a ${close === "'" ? 'string literal' : 'quoted identifier'} is not closed`
			i++
			continue
		}
		if (c === '$') {
			DOLLAR_TAG.lastIndex = i
			const tag = DOLLAR_TAG.exec(expression)?.[0]
			if (tag !== undefined && (i === 0 || !/[A-Za-z0-9_]/.test(expression[i - 1]!))) {
				const end = expression.indexOf(tag, i + tag.length)
				if (end === -1) return `the dollar quote ${tag} is not closed`
				i = end + tag.length
				continue
			}
		}
		if ((c === '-' && expression[i + 1] === '-') || (c === '/' && expression[i + 1] === '*')) return 'it holds an SQL comment, which could swallow the closing parenthesis of USING (…); leave comments out'
		if (c === ';') return 'it holds a ";" outside a literal, which would end the statement; a conversion is one expression'
		if (c === '(') depth++
		if (c === ')' && --depth < 0) return 'it closes a parenthesis it did not open'
		i++
	}
	return depth > 0 ? 'a parenthesis is not closed' : undefined
}
