/**
 * How one domain takes part in another's state change without the owning service knowing
 * it. The owner of a lifecycle exposes one hooks object (e.g. ApplicationHooks); other
 * modules register, in their onModuleInit:
 *
 * - preconditions: run before the status changes, inside the transaction and under the
 *   object's row lock; they refuse the transition by throwing a DomainError;
 * - handlers: run after the status change in the same transaction (history, placements,
 *   checklists, outbox, audit), so the change and what it causes commit or fail together.
 *
 * A hook for a transition the lifecycle does not have is refused at start.
 */
export type Hook<C> = (context: C) => Promise<void> | void;

interface Registered<C> {
  owner: string;
  hook: Hook<C>;
}

export class TransitionHooks<N extends string, Before, After = Before> {
  private readonly preconditions = new Map<N, Registered<Before>[]>();
  private readonly handlers = new Map<N, Registered<After>[]>();

  constructor(
    readonly resource: string,
    private readonly names: readonly N[],
  ) {}

  private namesOf(names: N | readonly N[] | '*', owner: string): readonly N[] {
    if (names === '*') return this.names;
    const list = (Array.isArray(names) ? names : [names]) as readonly N[];
    for (const name of list) {
      if (!this.names.includes(name)) throw new Error(`${owner} registers a hook for "${name}", which is not a transition of ${this.resource} (${this.names.join(', ')})`);
    }
    return list;
  }

  /** A check that must pass before the transition(s) happen. */
  precondition(names: N | readonly N[] | '*', owner: string, hook: Hook<Before>): void {
    for (const name of this.namesOf(names, owner)) this.preconditions.set(name, [...(this.preconditions.get(name) ?? []), { owner, hook }]);
  }

  /** Work that follows the transition(s) in the same transaction. */
  onTransition(names: N | readonly N[] | '*', owner: string, hook: Hook<After>): void {
    for (const name of this.namesOf(names, owner)) this.handlers.set(name, [...(this.handlers.get(name) ?? []), { owner, hook }]);
  }

  /** Runs in registration order, one after the other (they share the transaction's connection). */
  async checkBefore(name: N, context: Before): Promise<void> {
    for (const { hook } of this.preconditions.get(name) ?? []) await hook(context);
  }

  async runAfter(name: N, context: After): Promise<void> {
    for (const { hook } of this.handlers.get(name) ?? []) await hook(context);
  }

  /** Who registered what: for tests and for a newcomer reading the wiring. */
  registered(): { name: N; kind: 'precondition' | 'handler'; owner: string }[] {
    return [
      ...[...this.preconditions].flatMap(([name, list]) => list.map(({ owner }) => ({ name, kind: 'precondition' as const, owner }))),
      ...[...this.handlers].flatMap(([name, list]) => list.map(({ owner }) => ({ name, kind: 'handler' as const, owner }))),
    ];
  }
}
