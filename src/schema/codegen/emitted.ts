/**
 * Generated code side by side with the value it evaluates to. The generator calls the real DSL
 * as it writes each call, so it can compare what the written module will build with the schema
 * it was given, and never write a module that silently means something else.
 */
import type { JsonValue } from '../model.js'
import { literal } from './literal.js'

export interface Emitted<T = unknown> {
	readonly code: string
	readonly value: T
}

/** the names the module imports from 'strata/schema' */
export type Imports = Set<string>

export const emitted = <T>(code: string, value: T): Emitted<T> => ({ code, value })

/** plain data, written as a literal; `level` is the indentation of the line it starts on */
export const data = <T extends JsonValue>(value: T, level = 0): Emitted<T> => emitted(literal(value, level), value)

type Callable<Args extends unknown[], Result> = (...args: Args) => Result

/** `name(args…)`: a function imported from 'strata/schema' */
export const invoke = <Result>(imports: Imports, name: string, fn: Callable<any[], Result>, args: readonly Emitted[]): Emitted<Result> => {
	imports.add(name)
	return emitted(`${name}(${args.map(arg => arg.code).join(', ')})`, fn(...args.map(arg => arg.value)))
}

/** `target.method(args…)`: a builder modifier */
export const chain = <T>(target: Emitted<T>, method: string, args: readonly Emitted[] = []): Emitted<T> => {
	const fn = (target.value as Record<string, Callable<unknown[], T>>)[method]
	if (typeof fn !== 'function') throw new Error(`codegen: ${method} is not a modifier of this builder`)
	return emitted(`${target.code}.${method}(${args.map(arg => arg.code).join(', ')})`, fn.apply(target.value, args.map(arg => arg.value)))
}
