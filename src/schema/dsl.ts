/**
 * `strata/schema`: what a schema module imports, and nothing else. The definition DSL and the
 * schema model's types, without the differ, the modification handlers, the SQL builder or the
 * migration files that `strata` itself re-exports: loading a schema module (in every command
 * that reads the declared schema) then loads a few small files instead of all of strata.
 *
 * `import { entity, column, … } from 'strata'` works as well; it loads the whole package.
 */
export * from './model.js'
export * from './define/index.js'
