// Types for local-worker.mjs, so TypeScript tests can use it.
export declare const BENCH_VARS: Record<string, string>;
export declare function freePort(): Promise<number>;
export declare function prepareState(stateDir: string, seedSqlFile?: string): void;
export declare function startWorker(
  stateDir: string,
  port: number,
  varsOverride?: Record<string, string>,
  opts?: { inspectorPort?: number; config?: string },
): Promise<{ url: string; stop: () => void; workerdPid: number | null; proxyPid: number | null }>;
export declare function rssMiB(pid: number | null): number;
export declare function cpuSeconds(pid: number | null): number;
export declare function peakRssMiB(pid: number | null): number;
export declare function percentile(sortedMs: number[], p: number): number;
export declare function timed(n: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number[]>;
export declare function fmt(n: number, digits?: number): string;
