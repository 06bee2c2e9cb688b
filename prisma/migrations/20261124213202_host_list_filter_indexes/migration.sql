-- CreateIndex
CREATE INDEX "Host_trustState_idx" ON "Host"("trustState");

-- CreateIndex
CREATE INDEX "Host_tags_idx" ON "Host" USING GIN ("tags");
