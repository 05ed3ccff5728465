/** Types for moto.mjs. */
export interface MotoServer {
  endpoint: string;
  stop(): Promise<void>;
}

export function startMotoServer(): Promise<MotoServer>;
export function resetMoto(endpoint: string): Promise<void>;
