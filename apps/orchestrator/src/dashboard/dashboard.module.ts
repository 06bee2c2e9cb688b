import { Module } from '@nestjs/common';

import { DashboardController } from './dashboard.controller';

/** GET / (redirect to the dashboard) and GET /auth/session; the files are mounted by mountDashboard. */
@Module({ controllers: [DashboardController] })
export class DashboardModule {}
