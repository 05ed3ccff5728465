/**
 * Who deployed what, from where: the CI build (Buildkite, GitHub Actions, any CI) or the
 * person at the terminal, and the git commit and branch of the service being deployed.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Provenance {
  by: string;
  buildUrl?: string;
  step?: string;
  commit?: string;
  branch?: string;
}

export function provenance(env: NodeJS.ProcessEnv, cwd: string, overrides: { commit?: string; branch?: string } = {}, callerArn?: string): Provenance {
  const git = (args: string[]) => {
    try {
      return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 }).toString().trim() || undefined;
    } catch {
      return undefined;
    }
  };
  const commit = overrides.commit ?? env.BUILDKITE_COMMIT ?? env.GITHUB_SHA ?? env.CI_COMMIT_SHA ?? git(['rev-parse', 'HEAD']);
  const branch = overrides.branch ?? env.BUILDKITE_BRANCH ?? env.GITHUB_REF_NAME ?? env.CI_COMMIT_REF_NAME ?? git(['rev-parse', '--abbrev-ref', 'HEAD']);
  if (env.BUILDKITE_BUILD_URL) {
    return {
      by: `buildkite${env.BUILDKITE_BUILD_CREATOR ? ` (${env.BUILDKITE_BUILD_CREATOR})` : ''}`,
      buildUrl: env.BUILDKITE_BUILD_URL,
      step: env.BUILDKITE_LABEL ?? env.BUILDKITE_STEP_KEY,
      commit,
      branch,
    };
  }
  if (env.GITHUB_ACTIONS && env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID) {
    return { by: `github-actions (${env.GITHUB_ACTOR ?? 'unknown'})`, buildUrl: `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`, step: env.GITHUB_JOB, commit, branch };
  }
  const user = env.USER ?? env.USERNAME ?? safeUser();
  const who = callerArn ? `${user} (${callerArn.split('/').pop()})` : user;
  return { by: `${who}@${os.hostname()}`, commit, branch };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
