import { App } from 'aws-cdk-lib';
import { AftersaleStack } from './stack.ts';

const app = new App();
// `-c adminOrigin=https://admin.example.com` when the admin page is served from another origin.
const adminOrigin: string | undefined = app.node.tryGetContext('adminOrigin') || undefined;
new AftersaleStack(app, app.node.tryGetContext('stackName') ?? 'Aftersale', {
  env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  retainData: app.node.tryGetContext('retainData') !== 'false',
  ...(adminOrigin && { adminOrigin }),
});
