import { App } from 'aws-cdk-lib';
import { AftersaleStack } from './stack.ts';

const app = new App();
new AftersaleStack(app, app.node.tryGetContext('stackName') ?? 'Aftersale', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  retainData: app.node.tryGetContext('retainData') !== 'false',
});
