import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { planReportPagePath, planReportUrl } from './plan-report-links';

describe('planReportUrl', () => {
  test("the dashboard's report page under the public URL, whatever its trailing slashes", () => {
    const id = '00000000-0000-4000-8000-000000000001';
    assert.equal(planReportPagePath(id), `/ui/#/plans/${id}/report`);
    assert.equal(planReportUrl('https://n.example.org/ops/', id), `https://n.example.org/ops/ui/#/plans/${id}/report`);
    assert.equal(planReportUrl('http://127.0.0.1:3000', id), `http://127.0.0.1:3000/ui/#/plans/${id}/report`);
  });
});
