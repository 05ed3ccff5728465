/**
 * Named profiles as the AWS SDK and CLI find them: `[profile NAME]` (or `[default]`) in the
 * config file and `[NAME]` in the credentials file. Used to say plainly that a profile does
 * not exist, where the SDK only says it could not load credentials from any provider.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface ProfileFiles {
  config: string;
  credentials: string;
}

/** The files the SDK reads, honouring AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE. */
export function profileFiles(env: NodeJS.ProcessEnv): ProfileFiles {
  const home = env.HOME || homedir();
  return {
    config: env.AWS_CONFIG_FILE || path.join(home, '.aws', 'config'),
    credentials: env.AWS_SHARED_CREDENTIALS_FILE || path.join(home, '.aws', 'credentials'),
  };
}

/** Every profile name defined in either file (a missing file defines none). */
export function knownProfiles(files: ProfileFiles): string[] {
  const names = new Set<string>();
  for (const [file, inConfig] of [[files.config, true], [files.credentials, false]] as const) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const m of text.matchAll(/^\s*\[\s*([^\]]+?)\s*\]/gm)) {
      const section = m[1]!;
      if (inConfig && /^(sso-session|services)\s/.test(section)) continue;
      names.add(inConfig ? section.replace(/^profile\s+/, '') : section);
    }
  }
  return [...names];
}

/** `~/.aws/config` rather than `/home/alice/.aws/config`, as users know the paths. */
export function displayPath(file: string, env: NodeJS.ProcessEnv): string {
  const home = env.HOME || homedir();
  return file.startsWith(`${home}${path.sep}`) ? `~${file.slice(home.length)}` : file;
}
