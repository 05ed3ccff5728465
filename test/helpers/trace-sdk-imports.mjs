// Preloaded with --import: reports every AWS SDK module a process resolves, on stderr.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier.startsWith('@aws-sdk/')) process.stderr.write('loaded-sdk ' + specifier + '\\n');
      return next(specifier, context);
    }
  `)}`,
);
