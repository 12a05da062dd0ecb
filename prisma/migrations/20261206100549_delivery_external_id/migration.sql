-- CreateIndex
CREATE INDEX "Delivery_externalId_idx" ON "Delivery"("externalId");

