/**
 * Passwords must never reach any output. Two defences, both applied by `redact`:
 *
 * - known secrets: every password strata learns (from --database-url, DATABASE_URL, .env, the
 *   config, the command line, the embedded cluster) is registered here in every shape it may be
 *   printed in (raw, percent-encoded, JSON-escaped) and replaced wherever it appears — in our
 *   messages, in PostgreSQL's, in stack traces;
 * - shapes: credentials in anything that looks like a connection string are masked even when the
 *   secret was never registered (too short, or text from elsewhere): `scheme://user:…@` (also with
 *   the `://` mistyped, `@` or spaces in the password) and `password=…` (URL query or key/value,
 *   quoted or not).
 *
 * The CLI's Output passes everything it prints through `redact`; the database layer redacts its
 * messages too, so library users get the same guarantee.
 */
const secrets = new Set<string>()

/** shorter secrets would mangle ordinary words; their credentials are still redacted by shape */
const MIN_SECRET_LENGTH = 4

const MASK = '***'

const safeDecode = (text: string): string => {
	try {
		return decodeURIComponent(text)
	} catch {
		return text
	}
}

/** how a password looks inside a serialized URL (WHATWG userinfo encoding differs from encodeURIComponent) */
const urlEncoded = (secret: string): string | undefined => {
	try {
		const url = new URL('postgresql://user@host')
		url.password = secret
		return url.password
	} catch {
		return undefined
	}
}

/** the shapes one secret may be printed in */
const shapesOf = (secret: string): string[] => {
	const decoded = safeDecode(secret)
	const shapes = new Set<string>()
	for (const base of new Set([secret, decoded])) {
		for (const shape of [base, encodeURIComponent(base), urlEncoded(base), JSON.stringify(base).slice(1, -1)]) {
			if (shape === undefined) continue
			shapes.add(shape)
			// percent-encoding is case-insensitive: %2F and %2f are the same character
			shapes.add(shape.replace(/%[0-9A-F]{2}/g, hex => hex.toLowerCase()))
		}
	}
	return [...shapes]
}

export const registerSecret = (secret: string | undefined | null): void => {
	if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) return
	for (const shape of shapesOf(secret)) if (shape.length >= MIN_SECRET_LENGTH) secrets.add(shape)
}

/**
 * `scheme://user:password@` — and the mistyped `postgres//`, `postgres:/`, `postgresql:`. The
 * password runs to the LAST `@` on the line (a password may hold `@` and spaces); masking too
 * much of a malformed line is the safe side.
 */
const URL_CREDENTIALS = /(\b(?:[a-z][a-z0-9+.-]*:\/\/|postgres(?:ql)?(?::\/*|\/+))[^:/?#@\s]*):[^\n]*@/gi
/** `password=…` in a URL query or a key/value connection string, quoted or bare */
const PASSWORD_SETTING = /(\b[a-z_]*password\s*=\s*)(?:'(?:[^'\\\n]|\\.)*'?|"(?:[^"\\\n]|\\.)*"?|\*\*\*|[^\s&'"]*)/gi

/** every password a connection string holds (URL or key/value form, malformed too) */
export const passwordsIn = (connectionString: string): string[] => {
	const found: string[] = []
	for (const match of connectionString.matchAll(new RegExp(URL_CREDENTIALS.source, 'gi'))) {
		const afterUser = match[0].slice(match[1]!.length + 1, -1)
		found.push(afterUser)
	}
	// no scheme at all: `user:password@host/db`
	const bare = /^([^:/@\s]+):(?!\/\/)(.+)@[^@]*$/.exec(connectionString.trim())
	if (bare) found.push(bare[2]!)
	for (const match of connectionString.matchAll(new RegExp(PASSWORD_SETTING.source, 'gi'))) {
		const value = match[0].slice(match[1]!.length)
		const quoted = /^(['"])(.*?)\1?$/s.exec(value)
		found.push(quoted ? quoted[2]!.replace(/\\(.)/g, '$1') : value)
	}
	return found.filter(it => it !== '')
}

/** registers every password in a connection string, however malformed, before anything can echo it */
export const registerConnectionSecrets = (connectionString: string | undefined | null): void => {
	if (typeof connectionString !== 'string') return
	for (const password of passwordsIn(connectionString)) registerSecret(password)
}

/** a command-line word or setting that is a connection string rather than a name */
export const looksLikeConnectionString = (text: string): boolean =>
	/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || /^postgres(?:ql)?[:/]/i.test(text) || /\bpassword\s*=/i.test(text) || /^[^\s/@]+:[^\s]*@/.test(text)

/** the message for a connection string typed where a name goes: it is not echoed, not even transformed */
export const misplacedConnectionString = (where: string): string =>
	`A database URL (not shown: it may hold a password) was given where ${where} goes; pass it as --database-url <url>.`

/** replaces registered secrets and anything shaped like credentials with `***` */
export const redact = (text: string): string => {
	let result = text
	for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
		if (result.includes(secret)) result = result.split(secret).join(MASK)
	}
	return result.replace(URL_CREDENTIALS, `$1:${MASK}@`).replace(PASSWORD_SETTING, `$1${MASK}`)
}
