/**
 * Passwords must never reach any output. Every secret strata learns (from a URL, from the
 * embedded cluster) is registered here, and every message the database layer produces passes
 * through `redact` before it is thrown or printed.
 */
const secrets = new Set<string>()

/** shorter secrets would mangle ordinary words; URL credentials are still redacted by pattern */
const MIN_SECRET_LENGTH = 4

export const registerSecret = (secret: string | undefined | null): void => {
	if (!secret || secret.length < MIN_SECRET_LENGTH) return
	const forms = [secret, encodeURIComponent(secret)]
	// a URL carries the password percent-encoded; the decoded form may appear elsewhere
	try {
		forms.push(decodeURIComponent(secret))
	} catch {
		// not valid percent-encoding: the raw form is enough
	}
	for (const form of forms) if (form.length >= MIN_SECRET_LENGTH) secrets.add(form)
}

const URL_CREDENTIALS = /\b(postgres(?:ql)?:\/\/[^:/?#@\s]*):([^@\s]*)@/gi
const PASSWORD_PARAM = /([?&]password=)[^&\s]*/gi

/** replaces registered secrets and any `scheme://user:password@` credentials with `***` */
export const redact = (text: string): string => {
	let result = text.replace(URL_CREDENTIALS, '$1:***@').replace(PASSWORD_PARAM, '$1***')
	for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
		if (secret.length >= MIN_SECRET_LENGTH) result = result.split(secret).join('***')
	}
	return result
}

/** a URL for display: user, host, port and database, never the password */
export const redactUrl = (url: string): string => {
	try {
		const parsed = new URL(url)
		if (parsed.password) parsed.password = '***'
		parsed.searchParams.delete('password')
		return redact(parsed.toString())
	} catch {
		return redact(url)
	}
}
