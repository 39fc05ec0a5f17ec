import { App } from 'aws-cdk-lib';
import { DeployConfigError, parseDeployConfig } from './config.ts';
import { applyNag } from './nag.ts';
import { AftersaleStack } from './stack.ts';

const app = new App();
let config: ReturnType<typeof parseDeployConfig>;
try {
  // cdk.json "context", overridden by `-c key=value` (docs/deploy.md, Configure).
  config = parseDeployConfig((key) => app.node.tryGetContext(key));
} catch (error) {
  if (!(error instanceof DeployConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
new AftersaleStack(app, app.node.tryGetContext('stackName') ?? `Aftersale-${config.stage}`, {
  // The region is the configuration's, never the profile's default.
  env: { region: config.region, account: config.account ?? process.env.CDK_DEFAULT_ACCOUNT },
  description: `aftersale (${config.stage}): after-sale automation for online shops`,
  config,
});
applyNag(app);
