/**
 * Command-line wiring: flags to typed options, one function per command. Commands are
 * thin: they load input, call core code, and hand results to a reporter. Heavy modules
 * (AWS SDK, ora, chalk) are imported inside the commands that need them, so `--help`,
 * `--version` and `render` stay fast.
 */
import { Command, CommanderError, Option } from 'commander';
import { ExitCode, type ExitCodeValue } from '../errors.js';
import { SHIPPER_VERSION } from '../version.js';
import { reportError, reportFailure } from './errors-to-exit.js';
import type { CliIo } from './io.js';
import type { CliDependencies } from './session.js';
import { manyServices, oneOrMany } from './fleet-flags.js';

const EXIT_CODES_HELP = `
Exit codes:
  0  success (or nothing to change)
  2  bad input: descriptor, fragment or flags (nothing in AWS was touched)
  3  preflight refused (account, image, stack state; destroy: unknown instance, a stack that is
     not this service's, a protected environment; nothing was changed)
  4  deploy failed (or was cancelled: Ctrl-C, SIGTERM, --timeout) and rolled back;
     the previous release is still live
  5  the stack needs attention (e.g. UPDATE_ROLLBACK_FAILED, or a destroy that ended DELETE_FAILED)
  6  answered no at a confirmation prompt
  7  an AWS call failed (credentials, network, permissions)
  8  several services (-f repeated, --all) failed in different ways; when all that failed
     failed alike, their shared code instead (e.g. 4); the summary table says how each ended
  130 interrupted: before the update started (a prompt included) nothing changed; after it
      (a second Ctrl-C), CloudFormation finishes the operation by itself (follow it with
      shipper watch)
  1  a bug in shipper (SHIPPER_DEBUG=1 shows the stack trace)
With --json, a failure also ends stdout with one {"type":"error","exitCode":N,...} event.
On Buildkite (BUILDKITE set), deploy, rollback and watch annotate the build with their outcome
and set meta-data shipper:<env>:release, :image-tag and :image-digest for later steps
(shipper:<service>:<env>:... when one step deploys several services).
deploy, plan, status and releases take several services at once: -f repeated, or --all for
every service of the workspace file shipper.workspace.yml (see README "Many services at once").
Times are shown in UTC.`;

export async function runCli(argv: string[], io: CliIo, deps: CliDependencies = {}): Promise<ExitCodeValue> {
  let result: ExitCodeValue = ExitCode.ok;
  const program = new Command('shipper')
    .description('Deploy Dockerized services to EC2 Auto Scaling groups through CloudFormation, as immutable group replacements.')
    .version(SHIPPER_VERSION, '-v, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .addHelpText('after', EXIT_CODES_HELP);

  const fileOption = () => new Option('-f, --file <path>', 'service descriptor').default('shipper.yml');
  const instanceOption = () => new Option('--instance <name>', 'a short-lived instance of the environment (e.g. pr-123) instead of its main stack; see README "Short-lived environments per branch"');
  const envOption = () => new Option('-e, --env <name>', 'environment from the descriptor (e.g. test)').makeOptionMandatory();

  program
    .command('render')
    .description('print the complete CloudFormation template shipper would deploy (offline)')
    .addOption(envOption())
    .addOption(fileOption())
    .option('--image-tag <tag>', 'image tag of the release (recorded in the template)')
    .option('--image-digest <sha256:...>', 'image digest to pin in the launch template')
    .option('-o, --output <file>', 'write the template to a file instead of stdout')
    .addOption(new Option('--format <format>', 'output format').choices(['yaml', 'json']).default('yaml'))
    .option('--resolve-images', "pin sidecar images by asking their registries (and ECR) for the tags' digests; without it render is offline and lists the unresolved tags")
    .option('--profile <profile>', 'AWS profile for --resolve-images (ECR images, registry credentials)')
    .addOption(instanceOption())
    .action(async (opts) => {
      const { renderCommand } = await import('./commands/render.js');
      result = await renderCommand(opts, io, deps);
    });

  program
    .command('validate')
    .description('check the descriptor, the fragment and the rendered template (cfn-lint when installed)')
    .addOption(envOption())
    .addOption(fileOption())
    .action(async (opts) => {
      const { validateCommand } = await import('./commands/validate.js');
      result = await validateCommand(opts, io);
    });

  const awsOptions = (command: Command, json = 'print one JSON event per line (NDJSON) instead of text; a failure ends with an error event', instance = true) => {
    command
      .addOption(envOption())
      .addOption(fileOption())
      .option('--profile <profile>', 'AWS profile (default: the standard credential chain)')
      .option('--json', json);
    return instance ? command.addOption(instanceOption()) : command;
  };

  manyServices(awsOptions(
    program
      .command('deploy')
      .description('deploy an image as an immutable Auto Scaling group replacement; a failure rolls back and never touches live traffic'),
  ))
    .option('--image-tag <tag>', 'ECR image tag to deploy (resolved to its digest)')
    .option('--image-digest <sha256:...>', 'deploy exactly this digest (with --image-tag, the tag must point at it in ECR)')
    .option('-y, --yes', 'do not ask for confirmation on protected environments (needed in CI)')
    .option('--wait-cleanup', 'follow cleanup of the old group to UPDATE_COMPLETE and report leftovers')
    .option('--no-wait-cleanup', 'return as soon as the new group is live (default)')
    .option('--timeout <duration>', 'cancel and roll back if the new group is not in service in time (e.g. 20m; a bake comes on top)')
    .option('--no-wait-busy', 'fail instead of waiting when another operation is in progress')
    .option('--allow-shared-change', 'execute even though replacing the group also changes the target group, listener rule or inline ingress the old group serves through (see README)')
    .option('--commit <sha>', 'git commit being deployed (default: from CI variables or git)')
    .option('--branch <name>', 'git branch being deployed (default: from CI variables or git)')
    .option('--no-bake', 'skip the bake for an emergency fix: live as soon as the new group is healthy, no alarm can roll it back (needs --yes on protected environments; recorded in the release history)')
    .option('--ttl <duration>', "with --instance: how long the instance lives from this deploy on (e.g. 3d, 12h; default: the environment's instances.ttl)")
    .addHelpText('after', '\nExamples:\n  shipper deploy --env test --image-tag v42\n  shipper deploy --env test --instance pr-123 --image-tag pr-123-abc1234 --ttl 2d   # a copy for a branch\n  shipper deploy --env prod --image-tag v42 --yes --timeout 30m   # in CI\n  shipper deploy --env test --image-tag v42 -f billing/shipper.yml -f search/shipper.yml\n  shipper deploy --env test --image-tag v42 --all --concurrency 8   # every service of shipper.workspace.yml\n\nSeveral services deploy in parallel (--concurrency, default 4); one failing never stops the others.\nAt the end a summary table gives each one\'s release, outcome, time and root cause. A protected\nenvironment is confirmed once for all of them (or --yes). Ctrl-C cancels every update in progress\nand starts no other; a second Ctrl-C leaves them to CloudFormation (exit 130).\n\nNotifications (descriptor key `notifications`: webhooks, newRelic, snsTopicArns) are sent\nconcurrently and awaited at most 5 s; a failing one is a warning, never a different exit code.\nNEW_RELIC_API_KEY is the New Relic API key unless the descriptor names a secret for it.')
    .action(async (opts) => {
      result = await oneOrMany(
        opts,
        async (one) => (await import('./commands/deploy.js')).deployCommand(one, io, deps),
        async (many) => (await import('./commands/fleet-deploy.js')).fleetDeployCommand(many, io, deps),
      );
    });

  manyServices(awsOptions(
    program
      .command('plan')
      .description('preview a deploy: create the change set, show what would change (resources, properties, parameters, images), delete it; nothing is executed'),
    'print the plan as one JSON object on stdout (progress goes to stderr); a failure prints one error event instead',
  ))
    .option('--image-tag <tag>', 'ECR image tag to plan (resolved to its digest)')
    .option('--image-digest <sha256:...>', 'plan exactly this digest')
    .option('--no-bake', 'plan it as deploy --no-bake would run it: without the bake')
    .option('--no-wait-busy', 'fail instead of waiting when another operation is in progress')
    .addHelpText(
      'after',
      '\nExamples:\n  shipper plan --env prod --image-tag v42\n  shipper plan --env prod --image-tag v42 --json > plan.json   # in CI, before a block step',
    )
    .action(async (opts) => {
      result = await oneOrMany(
        opts,
        async (one) => (await import('./commands/plan.js')).planCommand(one, io, deps),
        async (many) => (await import('./commands/fleet-read.js')).fleetPlanCommand(many, io, deps),
      );
    });

  awsOptions(
    program
      .command('rollback')
      .description("deploy an earlier release's image digest again, with the same immutable replacement and safety as deploy"),
  )
    .option('--to <tag>', 'the newest release of this image tag that went live')
    .option('--release <n>', 'this release number (see `shipper releases`)')
    .option('-y, --yes', 'do not ask for confirmation on protected environments')
    .option('--wait-cleanup', 'follow cleanup of the old group to UPDATE_COMPLETE')
    .option('--timeout <duration>', 'cancel and roll back if the new group is not live in time')
    .option('--no-wait-busy', 'fail instead of waiting when another operation is in progress')
    .option('--allow-shared-change', 'execute even though replacing the group also changes the target group, listener rule or inline ingress (see README)')
    .option('--no-bake', 'skip the bake: a rollback during an incident is live as soon as its group is healthy (needs --yes on protected environments; recorded)')
    .addHelpText('after', '\nBy default it goes back to the release that was live before the current one.\nExamples:\n  shipper rollback --env prod --yes\n  shipper rollback --env test --to v41\n  shipper rollback --env test --release 17')
    .action(async (opts) => {
      const { rollbackCommand } = await import('./commands/rollback.js');
      result = await rollbackCommand(opts, io, deps);
    });

  manyServices(awsOptions(program.command('releases').description('release history, newest first, with the live one marked')))
    .addHelpText('after', '\nExample:\n  shipper releases --env prod')
    .action(async (opts) => {
      result = await oneOrMany(
        opts,
        async (one) => (await import('./commands/releases.js')).releasesCommand(one, io, deps),
        async (many) => (await import('./commands/fleet-read.js')).fleetReleasesCommand(many, io, deps),
      );
    });

  manyServices(awsOptions(program.command('status').description('the stack, the live release, the group and its instances, a bake in progress (time left, alarm states), and cleanup leftovers')))
    .addHelpText('after', '\nExample:\n  shipper status --env test')
    .action(async (opts) => {
      result = await oneOrMany(
        opts,
        async (one) => (await import('./commands/status.js')).statusCommand(one, io, deps),
        async (many) => (await import('./commands/fleet-read.js')).fleetStatusCommand(many, io, deps),
      );
    });

  awsOptions(program.command('watch').description('attach to the operation in progress (e.g. after the deploying CLI was killed) and follow it to its outcome'))
    .option('--wait-cleanup', 'follow cleanup to UPDATE_COMPLETE')
    .action(async (opts) => {
      const { watchCommand } = await import('./commands/watch.js');
      result = await watchCommand(opts, io, deps);
    });

  awsOptions(program.command('logs').description("the service's CloudWatch logs (app, sidecars, boot), oldest first, one line each with time, instance and container"), 'print one JSON object per line: {time, instance, container, message}', false)
    .option('--since <duration>', 'how far back to start (e.g. 10m, 1h, 2h30m)', '10m')
    .option('--follow', 'keep polling for new lines until Ctrl-C (which ends it normally, exit 0)')
    .option('--container <name>', 'only this container: app, log-router, metrics-collector, reverse-proxy, a custom sidecar, or boot (the boot script)')
    .option('--instance <id>', 'only this EC2 instance (i-...); any other name is a short-lived instance of the environment (e.g. pr-123), whose logs are read instead')
    .addHelpText(
      'after',
      [
        '',
        'Lines read "2026-12-01 19:04:05 UTC  i-0abc123def4567890  app  <message>" (times in UTC).',
        'Containers: the app and the sidecars the log router ships; "boot" is the boot script\'s log of each instance.',
        'When the log router ships to Splunk, only the boot logs are in CloudWatch Logs; the log router\'s',
        'own output stays on the instance (docker logs log-router). --follow reads every two seconds.',
        '',
        'Examples:',
        '  shipper logs --env test',
        '  shipper logs --env prod --since 1h --container app',
        '  shipper logs --env prod --follow --instance i-0abc123def4567890',
        '  shipper logs --env test --container boot --json',
        '  shipper logs --env test --instance pr-123          # a short-lived instance\'s logs',
      ].join('\n'),
    )
    .action(async (opts) => {
      const { logsCommand } = await import('./commands/logs.js');
      result = await logsCommand(opts, io, deps);
    });

  awsOptions(program.command('list').description("the environment's main stack and every short-lived instance: status, live release, age, owner, branch, expiry"), 'print one JSON object: {service, env, stackName, stacks: [...], foreign, warnings, now}', false)
    .addHelpText('after', '\nExamples:\n  shipper list --env test\n  shipper list --env test --json')
    .action(async (opts) => {
      const { listCommand } = await import('./commands/list.js');
      result = await listCommand(opts, io, deps);
    });

  awsOptions(program.command('destroy').description("delete a short-lived instance (or every expired one), follow the deletion and report what is left; the main stack only with --main"), undefined, false)
    .option('--instance <name>', 'the instance to delete (see shipper list)')
    .option('--expired', 'every instance whose shipper:expires-at is past, a few at a time; instances without an expiry are never touched')
    .option('--main', "the environment's own stack (asks for its name in a terminal; --yes without one)")
    .option('-y, --yes', 'do not ask for confirmation (needed without a terminal, e.g. in CI)')
    .option('--allow-protected', 'allow a protected environment (a confirmation is still needed)')
    .option('--keep-logs', "keep the stack's retained log groups (default: delete them once the stack is gone)")
    .option('--keep-history', "keep the instance's release history in SSM (default: delete it with the instance)")
    .option('--no-wait-busy', 'fail instead of waiting when another operation is in progress')
    .addHelpText(
      'after',
      [
        '',
        'Refused (exit 3, nothing deleted): an instance that does not exist, a stack named like one that is not',
        "this service's (tags), a protected environment without --allow-protected. A DELETE_FAILED stack exits 5",
        'with the resources that stayed, their reasons and the command to run next.',
        '',
        'Examples:',
        '  shipper destroy --env test --instance pr-123',
        '  shipper destroy --env test --expired --yes        # in a scheduled CI step',
        '  shipper destroy --env test --main                 # types the stack name to confirm',
      ].join('\n'),
    )
    .action(async (opts) => {
      const { destroyCommand } = await import('./commands/destroy.js');
      result = await destroyCommand(opts, io, deps);
    });

  program
    .command('init')
    .description('scaffold a service in the current directory: shipper.yml, a CloudFormation fragment stub and a Buildkite pipeline; asks in a terminal, takes flags in CI; never overwrites a file')
    .option('--service <name>', 'service name (required without a terminal)')
    .option('--repository <name>', 'ECR repository name (default: the service name)')
    .option('--port <port>', 'port the app listens on (default: 8080)')
    .option('--test-account <id>', 'AWS account of test (default: a placeholder to replace)')
    .option('--test-region <region>', 'AWS region of test (default: AWS_REGION, else us-east-1)')
    .option('--prod-account <id>', 'AWS account of prod (default: a placeholder to replace)')
    .option('--prod-region <region>', "AWS region of prod (default: test's)")
    .option('--vpc-id <id>', 'VPC of the instances (default: a placeholder to replace)')
    .option('--subnets <ids>', 'comma-separated subnet ids (default: placeholders to replace)')
    .addHelpText(
      'after',
      '\nExamples:\n  shipper init                                             # asks, with defaults\n  shipper init --service hello --repository team/hello --test-account 123456789012 \\\n    --prod-account 210987654321 --test-region eu-west-1       # in CI or a script: no questions',
    )
    .action(async (opts) => {
      const { initCommand } = await import('./commands/init.js');
      result = await initCommand(opts, io);
    });

  program
    .command('policy')
    .description("print the IAM policy (JSON) a deployer needs for this environment: the environment's roleArn, or the identity deploying (offline)")
    .addOption(envOption())
    .addOption(fileOption())
    .action(async (opts) => {
      const { policyCommand } = await import('./commands/policy.js');
      result = policyCommand(opts, io);
    });

  program
    .command('schema')
    .description('print the JSON Schema of shipper.yml, for editor completion')
    .action(async () => {
      const { schemaCommand } = await import('./commands/schema.js');
      result = schemaCommand(io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return result;
  } catch (err) {
    const mode = { json: wantsJson(argv) };
    if (err instanceof CommanderError) {
      // Help and version are "errors" in commander's override mode; everything else is bad flags,
      // which commander has already explained on stderr.
      if (err.exitCode === 0) return ExitCode.ok;
      const [message = '', ...rest] = (err.code === 'commander.help' ? 'no command given' : err.message.replace(/^error: /, '')).split('\n');
      const hint = rest.join(' ').replace(/^\((.*)\)$/, '$1') || 'see shipper --help';
      return reportFailure({ exitCode: ExitCode.badInput, message, hint, text: [] }, io, mode);
    }
    return reportError(err, io, mode);
  }
}

/**
 * Whether the run asked for JSON, read from the arguments themselves: a failure can come before
 * commander has parsed anything (an unknown flag) or before a reporter exists (a bad descriptor).
 */
export function wantsJson(argv: string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}
