-- DropForeignKey
ALTER TABLE "DutyRanking" DROP CONSTRAINT "DutyRanking_regionCode_fkey";

-- DropForeignKey
ALTER TABLE "DutyRanking" DROP CONSTRAINT "DutyRanking_unitId_fkey";

-- DropIndex
DROP INDEX "DutyRanking_period_regionCode_rank_idx";

-- DropIndex
DROP INDEX "DutyRanking_period_unitId_key";

-- AlterTable: the indicator arrays, filled from the JSON object per indicator of rows computed before
ALTER TABLE "DutyRanking" ADD COLUMN     "counts" INTEGER[],
ADD COLUMN     "fractions" DOUBLE PRECISION[],
ADD COLUMN     "points" DOUBLE PRECISION[],
ADD COLUMN     "weights" DOUBLE PRECISION[];

UPDATE "DutyRanking" SET
  "fractions" = ARRAY[(indicators->'rectificationOnTime'->>'f')::float8, (indicators->'overdueHazards'->>'f')::float8, (indicators->'ackTime'->>'f')::float8,
                      (indicators->'selfInspection'->>'f')::float8, (indicators->'testingOnTime'->>'f')::float8, (indicators->'warningAck'->>'f')::float8],
  "points" = ARRAY[(indicators->'rectificationOnTime'->>'points')::float8, (indicators->'overdueHazards'->>'points')::float8, (indicators->'ackTime'->>'points')::float8,
                   (indicators->'selfInspection'->>'points')::float8, (indicators->'testingOnTime'->>'points')::float8, (indicators->'warningAck'->>'points')::float8],
  "weights" = ARRAY[(indicators->'rectificationOnTime'->>'max')::float8, (indicators->'overdueHazards'->>'max')::float8, (indicators->'ackTime'->>'max')::float8,
                    (indicators->'selfInspection'->>'max')::float8, (indicators->'testingOnTime'->>'max')::float8, (indicators->'warningAck'->>'max')::float8],
  "counts" = ARRAY[coalesce((indicators->'rectificationOnTime'->>'due')::int, 0), coalesce((indicators->'rectificationOnTime'->>'onTime')::int, 0),
                   coalesce((indicators->'overdueHazards'->>'general')::int, 0), coalesce((indicators->'overdueHazards'->>'major')::int, 0),
                   coalesce((indicators->'ackTime'->>'found')::int, 0), coalesce((indicators->'selfInspection'->>'done')::int, 0),
                   coalesce((indicators->'warningAck'->>'warnings')::int, 0), coalesce((indicators->'warningAck'->>'acked')::int, 0)]
WHERE indicators ? 'rectificationOnTime';

-- AlterTable
ALTER TABLE "DutyRanking" DROP CONSTRAINT "DutyRanking_pkey",
DROP COLUMN "id",
DROP COLUMN "indicators",
ADD CONSTRAINT "DutyRanking_pkey" PRIMARY KEY ("unitId", "period");
