/** Every generated doc by its path in the repository (scripts/generate-docs.ts writes them, a test compares them). */
import { generateCliDoc } from './cli.js'
import { generateErrorsDoc } from './errors.js'
import { generateModificationsDoc } from './modifications.js'

export const generatedDocs = (): Record<string, string> => ({
	'docs/cli.md': generateCliDoc(),
	'docs/modifications.md': generateModificationsDoc(),
	'docs/errors.md': generateErrorsDoc(),
})
