/**
 * What a particular release adds to the template: the image, and the capacity the new group
 * starts at. Everything else comes from the descriptor, so composition stays a pure function.
 */
export interface ReleaseFacts {
  imageTag?: string;
  /** `sha256:…`; the launch template pins the image by it. */
  imageDigest?: string;
  /** The live group's desired capacity when it is above the descriptor's (carried over). */
  desiredCapacity?: number;
  /**
   * Each sidecar's image as preflight resolved it, `NAME@sha256:…`, keyed by container name.
   * Without it (offline `render`), sidecars keep the references the descriptor names.
   */
  sidecarImages?: Record<string, string>;
}

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
