import { type App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';

/**
 * The cdk-nag packs the stack is held to: AWS Solutions and Serverless, as CDK validation plugins.
 * Any unacknowledged finding interrupts the synth (so `npm run synth` and `cdk deploy` fail); every
 * rule that does not apply is acknowledged next to the resource it is about, with its reason
 * (infra/stack.ts), never here wholesale.
 */
export function applyNag(app: App): void {
  Validations.of(app).addPlugins(
    new AwsSolutionsChecks(app, { verbose: true }),
    new ServerlessChecks(app, { verbose: true }),
  );
}
