/**
 * A D1 binding that counts its round trips (each batch, exec, and statement run) on the way to the
 * real local D1, so a test can hold a hot path to the number of round trips it is meant to take.
 */
class CountingStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly trips: D1RoundTrips,
  ) {}
  bind(...values: unknown[]) {
    return new CountingStatement(this.inner.bind(...values), this.trips);
  }
  first(column?: string) {
    this.trips.count++;
    return column === undefined ? this.inner.first() : this.inner.first(column);
  }
  all() {
    this.trips.count++;
    return this.inner.all();
  }
  run() {
    this.trips.count++;
    return this.inner.run();
  }
  raw(options?: { columnNames?: boolean }) {
    this.trips.count++;
    return this.inner.raw(options as { columnNames: true });
  }
}

export class D1RoundTrips {
  count = 0;
  readonly binding: D1Database;

  constructor(real: D1Database) {
    const unwrap = (s: unknown) => (s instanceof CountingStatement ? s.inner : (s as D1PreparedStatement));
    this.binding = {
      prepare: (sql: string) => new CountingStatement(real.prepare(sql), this),
      batch: (statements: unknown[]) => {
        this.count++;
        return real.batch(statements.map(unwrap));
      },
      exec: (sql: string) => {
        this.count++;
        return real.exec(sql);
      },
      dump: () => real.dump(),
      withSession: () => {
        throw new Error('sessions are not counted');
      },
    } as unknown as D1Database;
  }
}
