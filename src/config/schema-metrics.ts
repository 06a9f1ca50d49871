import { z } from 'zod';

/** `metrics`: where one-shot runs (CronJobs) push their metrics when they end. */
export const metricsSchema = z.strictObject({
  pushgateway: z
    .strictObject({
      url: z
        .url({
          protocol: /^https?$/,
          error: 'must be an http(s) URL such as http://pushgateway.monitoring:9091',
        })
        .optional()
        .describe(
          'Push the run\'s metrics here when it ends, as job "secretsync" (--pushgateway overrides); unset: no push',
        ),
    })
    .optional()
    .describe('A Prometheus Pushgateway for one-shot runs (CronJobs)'),
});
