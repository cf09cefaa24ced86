// The Observable packages ship no type declarations; these cover the parts this project uses.
declare module "@observablehq/runtime" {
  export interface Observer {
    pending?(): void;
    fulfilled?(value: unknown, name?: string): void;
    rejected?(error: unknown, name?: string): void;
    /** The cell's place on the page, watched (IntersectionObserver) to know whether it is in view. */
    _node?: Element;
  }
  export class Variable {
    define(name: string | null, inputs: readonly string[], definition: (...args: any[]) => unknown): Variable;
    define(name: string, definition: unknown): Variable;
    delete(): Variable;
  }
  export class Module {
    variable(observer?: Observer | boolean, options?: { shadow?: Record<string, unknown> }): Variable;
    redefine(name: string, inputs: readonly string[], definition: (...args: any[]) => unknown): Variable;
    redefine(name: string, value: unknown): Variable;
    value(name: string): Promise<unknown>;
    builtin(name: string, value: unknown): void;
  }
  export class Runtime {
    constructor(builtins?: Record<string, unknown>, global?: (name: string) => unknown);
    module(define?: (runtime: Runtime, observer: (name?: string) => Observer | undefined) => unknown, observer?: (name?: string) => Observer | undefined): Module;
    dispose(): void;
    /** Scheduling hook: the recompute after a change (runtime 6; see notebooks/lib/runtime.ts). */
    _computeSoon(): Promise<void>;
    _computeNow(): Promise<void>;
    _disposed: boolean;
  }
  export class RuntimeError extends Error {}
}

declare module "@observablehq/inputs" {
  interface Common { label?: unknown; disabled?: boolean }
  export function range(extent: [number, number], options?: Common & { step?: number; value?: number; format?: (n: number) => string; placeholder?: string; width?: number }): HTMLElement & { value: number };
  export function select<T>(data: readonly T[], options?: Common & { value?: unknown; multiple?: boolean | number; format?: (d: T) => string; valueof?: (d: T) => unknown }): HTMLElement & { value: unknown };
  export function toggle(options?: Common & { value?: boolean }): HTMLElement & { value: boolean };
  export function radio<T>(data: readonly T[], options?: Common & { value?: T; format?: (d: T) => string; valueof?: (d: T) => unknown }): HTMLElement & { value: unknown };
  export function search<T>(data: readonly T[], options?: Common & { placeholder?: string; columns?: string[]; format?: (n: number) => string }): HTMLElement & { value: T[] };
  export function checkbox<T>(data: readonly T[], options?: Common & { value?: T[]; format?: (d: T) => string; valueof?: (d: T) => unknown }): HTMLElement & { value: unknown[] };
  export function textarea(options?: Common & { value?: string; placeholder?: string; rows?: number }): HTMLElement & { value: string };
  export function button(content: unknown, options?: Common & { value?: unknown; reduce?: (v: unknown) => unknown }): HTMLElement & { value: unknown };
}
