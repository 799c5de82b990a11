export declare function startDemoServer(opts?: { port?: number; host?: string }): Promise<{ url: string; close(): Promise<void> }>;
