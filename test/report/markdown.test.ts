/**
 * The CI annotations as Buildkite shows them: "CommonMark-compliant Markdown, with GitHub Flavored
 * Markdown extensions" (buildkite.com/docs/agent/v3/cli-annotate), rendered here by cmark-gfm, the
 * GFM reference implementation. Text from AWS, the boot logs and users is shown as written: it
 * never becomes markup, HTML or a broken code block.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { failureMarkdown } from '../../src/report/failure-markdown.js';
import { liveMarkdown } from '../../src/report/live-markdown.js';
import { failureReport } from './scenarios.js';

function html(markdown: string): string {
  const run = spawnSync('cmark-gfm', ['-e', 'table', '-e', 'autolink', '-e', 'tagfilter'], { input: markdown, encoding: 'utf8' });
  expect(run.status).toBe(0);
  return run.stdout;
}

const TARGET = { service: 'hello', env: 'prod' };

describe('the failure annotation', () => {
  it('shows the summary: headline, root cause in a code block, activities, instances with their boot log, next steps', () => {
    const report = failureReport({
      bootLogs: [{ instanceId: 'i-0aaa1111bbbb2222c', logGroup: '/shipper/hello/test', stream: 'boot/i-0aaa1111bbbb2222c', lines: ['pulling image', 'health check failed: 503'] }],
    });
    const out = html(failureMarkdown(TARGET, { exitCode: 4, message: 'deploy failed', report }));
    expect(out).toContain('<h4>shipper: hello in prod: deploy rolled back (exit 4)</h4>');
    expect(out).toContain('<strong>Deploy failed and was rolled back. The previous release is still live.</strong>');
    expect(out).toContain('<code>autoScalingGroup</code> (AWS::AutoScaling::AutoScalingGroup) <code>UPDATE_FAILED</code>');
    expect(out).toContain('<pre><code class="language-text">Received 1 FAILURE signal(s) out of 2. Unable to satisfy 100% MinSuccessfulInstancesPercent requirement\n</code></pre>');
    expect(out).toContain('<li>Instance i-0aaa1111bbbb2222c failed the app health check. Terminating instance. (2 times)</li>');
    expect(out).toContain('<pre><code class="language-text">pulling image\nhealth check failed: 503\n</code></pre>');
    expect(out).toContain('<li>Fix the health check failure, then deploy again.</li>');
  });

  it('text with backticks, fences, HTML and Markdown characters is shown as written', () => {
    const hostile = 'bad `value` <script>alert(1)</script> **not bold** [link](http://x) ``` | pipe';
    const report = failureReport({
      rootCause: { logicalId: 'App', resourceType: 'AWS::CloudFormation::CustomResource', status: 'UPDATE_FAILED', reason: `${hostile}\n\`\`\`\nafter the fence` },
      failedInstances: [{ instanceId: 'i-0aaa1111bbbb2222c', reason: hostile }],
      nextSteps: [hostile],
    });
    const out = html(failureMarkdown(TARGET, { exitCode: 4, message: hostile, hint: hostile, report }));
    // A bare URL may be linked (GFM autolinks do that), but no text becomes a link of its own.
    expect(out).not.toMatch(/<script|<strong>not bold|<a href[^>]*>link|<em>/);
    // The root cause's code block holds the whole reason (on one line, as the screen shows it), its own fence included.
    expect(out).toContain('<pre><code class="language-text">bad `value` &lt;script&gt;alert(1)&lt;/script&gt; **not bold** [link](http://x) ``` | pipe ``` after the fence\n</code></pre>');
    const shownAsWritten = 'bad `value` &lt;script&gt;alert(1)&lt;/script&gt; **not bold** [link](<a href="http://x">http://x</a>) ``` | pipe</li>';
    expect(out).toContain(`<li><code>i-0aaa1111bbbb2222c</code>: ${shownAsWritten}`);
    expect(out).toContain(`<li>${shownAsWritten}`);
  });

  it('a refusal without a report: the message and its hint', () => {
    const out = html(failureMarkdown(TARGET, { exitCode: 3, message: 'image tag "v9" does not exist in ECR repository hello', hint: 'recent tags: v1, v2' }));
    expect(out).toContain('<h4>shipper: hello in prod: preflight refused (exit 3)</h4>');
    expect(out).toContain('<p>image tag &quot;v9&quot; does not exist in ECR repository hello</p>');
    expect(out).toContain('<blockquote>\n<p>recent tags: v1, v2</p>\n</blockquote>');
  });
});

describe('the success annotation', () => {
  it('release, image and every output in a table, values shown as written', () => {
    const out = html(
      liveMarkdown(TARGET, {
        stackName: 'hello-prod',
        release: 12,
        imageTag: 'v42',
        imageDigest: `sha256:${'a'.repeat(64)}`,
        outputs: { LoadBalancerAddress: 'alb.example.com', Odd: 'a|b `c` <b>' },
        elapsedSeconds: 250,
      }),
    );
    expect(out).toContain('<h4>shipper: hello in prod: release #12 is live</h4>');
    expect(out).toContain(`<p>Image <code>v42</code> <code>sha256:${'a'.repeat(64)}</code></p>`);
    expect(out).toContain('<td>LoadBalancerAddress</td>\n<td><code>alb.example.com</code></td>');
    expect(out).toContain('<td>Odd</td>\n<td><code>a|b `c` &lt;b&gt;</code></td>');
  });
});
