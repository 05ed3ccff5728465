/**
 * A user installs shipper as a global command from a packed tarball: `npm pack` on a clean copy
 * of the repository (no dist/, so prepack must build it), `npm install -g` into a temporary
 * prefix, then the installed `shipper --version`, `shipper render` of the example and `shipper init`, run from
 * outside the repository. Dependencies come from the local npm cache that `npm ci` filled
 * (`--offline`); only when the cache lacks their metadata is the registry asked (`--prefer-offline`).
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { repoRoot } from '../helpers/paths.js';

const version: string = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version;

/** npm without the settings an enclosing `npm test` passes down to its children. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, env, encoding: 'utf8' });
}

function run(file: string, args: string[], cwd: string) {
  return spawnSync(file, args, { cwd, env: { PATH: process.env.PATH }, encoding: 'utf8' });
}

describe('npm pack and a global install', () => {
  it('packs everything needed to run, and the installed shipper prints its version and renders the example', () => {
    const work = mkdtempSync(path.join(tmpdir(), 'shipper-install-'));
    const clone = path.join(work, 'clone');
    cpSync(repoRoot, clone, { recursive: true, filter: (src) => !/(^|\/)(node_modules|dist|dist-bench|\.git|coverage)$/.test(path.relative(repoRoot, src)) });
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(clone, 'node_modules'));

    const packed = npm(['pack', '--json', '--pack-destination', work], clone);
    expect(packed.stderr).not.toMatch(/ERR!|error TS/);
    expect(packed.status).toBe(0);
    const [manifest] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = manifest!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['bin/shipper', 'dist/cli/entry.js', 'dist/deploy/deploy.js', 'templates/boot.sh', 'templates/init/shipper.yml', 'templates/init/cloudformation.yml', 'templates/init/pipeline.yml', 'package.json', 'README.md']));
    expect(files.some((f) => f.startsWith('sidecars/'))).toBe(true);
    expect(files.filter((f) => /^(test|src|bench|examples)\//.test(f) || /\.test\.|\.ts$/.test(f))).toEqual([]);

    const tarball = path.join(work, manifest!.filename);
    const prefix = path.join(work, 'prefix');
    let installed = npm(['install', '-g', '--prefix', prefix, '--offline', tarball], work);
    if (installed.status !== 0 && /ENOTCACHED/.test(installed.stderr)) installed = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], work);
    expect(installed.stderr).not.toMatch(/ERR!/);
    expect(installed.status).toBe(0);

    const shipper = path.join(prefix, 'bin', 'shipper');
    const versionRun = run(shipper, ['--version'], work);
    expect(versionRun.stdout.trim()).toBe(version);
    expect(versionRun.status).toBe(0);

    const example = path.join(work, 'hello');
    cpSync(path.join(repoRoot, 'examples/hello'), example, { recursive: true });
    const rendered = run(shipper, ['render', '--env', 'test', '-f', 'shipper.yml', '--image-tag', 'v1', '--image-digest', `sha256:${'1'.repeat(64)}`, '--format', 'json'], example);
    expect(rendered.status).toBe(0);
    const template = JSON.parse(rendered.stdout);
    expect(template.Resources.AutoScalingGroup.Type).toBe('AWS::AutoScaling::AutoScalingGroup');
    expect(template.Resources.LaunchTemplate.Type).toBe('AWS::EC2::LaunchTemplate');
    expect(template.Description).toContain(`shipper ${version}`);
    // The boot script and sidecar configuration came from the installed package's templates/ and sidecars/.
    expect(JSON.stringify(template.Resources.LaunchTemplate)).toContain('reverse-proxy');

    // init's templates come from the installed package too.
    const fresh = path.join(work, 'fresh');
    mkdirSync(fresh);
    const scaffolded = run(shipper, ['init', '--service', 'fresh'], fresh);
    expect(scaffolded.status).toBe(0);
    expect(readFileSync(path.join(fresh, '.buildkite/pipeline.yml'), 'utf8')).toContain('shipper deploy --env prod --image-tag "$BUILDKITE_COMMIT" --yes');
  }, 240_000);
});
