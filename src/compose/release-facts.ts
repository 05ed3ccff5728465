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
}

export const DIGEST_PATTERN = /^sha256:[a-f0-9]{64}$/;
