/**
 * Writes the generated reference docs (npm run docs:generate):
 *   docs/cli.md            from the yargs definitions (src/cli/commands/) and scripts/docs/cli-prose.md
 *   docs/modifications.md  from the modification modules' docs metadata and data schemas
 *   docs/errors.md         from the code tables (src/errorCatalog.ts, warnings, lint rules, schema problems)
 * test/unit/docs/generated.test.ts fails when a file on disk differs from what this writes.
 *
 *   npx tsx scripts/generate-docs.ts
 */
import { writeFileSync } from 'node:fs'
import { generatedDocs } from './docs/all.js'

for (const [path, content] of Object.entries(generatedDocs())) {
	writeFileSync(new URL(`../${path}`, import.meta.url), content)
	console.log(`wrote ${path}`)
}
