/**
 * The shape every lifecycle of the product takes (applications, agreements, programmes,
 * placements): a pure table of named transitions, each leaving some statuses for one, taken
 * by some parties. Who the caller is relative to the object ("parties") is worked out by
 * the domain's rules; the table only decides.
 *
 * 403 before 409 (SPEC section 4): a caller who could never take a transition of that name,
 * from any status, is forbidden whatever the object's status; a caller who could take it
 * from another status meets an invalid transition.
 */
export interface TransitionRow<S extends string, N extends string, P extends string> {
  name: N;
  from: readonly S[];
  to: S;
  by: readonly P[];
  needsReason?: boolean;
}

export type Decision<S extends string, N extends string, P extends string> =
  | { ok: true; transition: TransitionRow<S, N, P> }
  | { ok: false; error: 'forbidden' | 'invalid_transition' };

export class Lifecycle<S extends string, N extends string, P extends string> {
  /** `allowed` by status and parties: the table never changes, and every answer of a list asks it. */
  private readonly allowedBy = new Map<string, readonly N[]>();

  constructor(
    /** the resource the lifecycle belongs to: its error codes read `<resource>.invalid_transition` */
    readonly resource: string,
    readonly names: readonly N[],
    readonly rows: readonly TransitionRow<S, N, P>[],
  ) {
    for (const name of names) if (!rows.some((row) => row.name === name)) throw new Error(`${resource} lifecycle: transition "${name}" has no row`);
    for (const row of rows) if (!names.includes(row.name)) throw new Error(`${resource} lifecycle: row "${row.name}" is not a declared transition`);
  }

  decide(status: S, name: N, parties: readonly P[]): Decision<S, N, P> {
    const mine = this.rows.filter((row) => row.name === name && row.by.some((party) => parties.includes(party)));
    if (!mine.length) return { ok: false, error: 'forbidden' };
    const transition = mine.find((row) => row.from.includes(status));
    return transition ? { ok: true, transition } : { ok: false, error: 'invalid_transition' };
  }

  /** Transitions these parties could take now (shown to clients as `allowedTransitions`). */
  allowed(status: S, parties: readonly P[]): N[] {
    const key = `${status}:${parties.join(',')}`;
    let names = this.allowedBy.get(key);
    if (!names) {
      names = [...new Set(this.rows.filter((row) => row.from.includes(status) && row.by.some((party) => parties.includes(party))).map((row) => row.name))];
      this.allowedBy.set(key, names);
    }
    return [...names];
  }
}
