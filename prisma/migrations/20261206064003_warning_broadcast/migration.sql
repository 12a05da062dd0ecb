-- CreateIndex
CREATE INDEX "Delivery_channel_status_sentAt_idx" ON "Delivery"("channel", "status", "sentAt");

