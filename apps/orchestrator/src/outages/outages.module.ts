import { Module } from '@nestjs/common';

import { OutagesController } from './outages.controller';

/** The API that shows outages; their lifecycle runs on the leader in SafetyPathModule. */
@Module({
  controllers: [OutagesController],
})
export class OutagesModule {}
