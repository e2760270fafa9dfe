/**
 * RFC 6901 JSON pointers: `/roles/a~1b` → `['roles', 'a/b']`. A URI-fragment pointer (`#/…`, as
 * ajv writes schema paths) also has each part URI-decoded. `''` (and `#`) is the whole document.
 */
export const jsonPointerParts = (pointer: string): string[] => {
	const fragment = pointer.startsWith('#')
	const body = fragment ? pointer.slice(1) : pointer
	if (body === '') return []
	return body.slice(1).split('/').map(part => (fragment ? decodeURIComponent(part) : part).replace(/~1/g, '/').replace(/~0/g, '~'))
}
