/*
 * datetime.cpp: date, timestamp and interval text.
 */
#include "datetime.hpp"

#include <charconv>
#include <limits>

namespace pgcdc
{

namespace
{

constexpr int64_t kUsecsPerSec = 1000000;
constexpr int64_t kUsecsPerMinute = 60 * kUsecsPerSec;
constexpr int64_t kUsecsPerHour = 60 * kUsecsPerMinute;
constexpr int64_t kUsecsPerDay = 24 * kUsecsPerHour;
/* Days from 1970-01-01 to 2000-01-01. */
constexpr int64_t kUnixToPgDays = 10957;

inline char *Put2(char *o, unsigned v)
{
	o[0] = char('0' + v / 10);
	o[1] = char('0' + v % 10);
	return o + 2;
}

/* Writes a year of at least four digits, returns the new position. */
char *PutYear(char *o, int64_t year)
{
	if (year < 1000) {
		o[0] = char('0' + year / 1000);
		o[1] = char('0' + (year / 100) % 10);
		o[2] = char('0' + (year / 10) % 10);
		o[3] = char('0' + year % 10);
		return o + 4;
	}
	return std::to_chars(o, o + 24, year).ptr;
}

/* Writes the fraction of a second ("" or ".5" or ".000001"), trailing zeros dropped. */
char *PutFraction(char *o, int64_t usecs)
{
	if (usecs == 0)
		return o;
	*o++ = '.';
	int64_t div = 100000;
	while (usecs != 0) {
		*o++ = char('0' + usecs / div);
		usecs %= div;
		div /= 10;
	}
	return o;
}

/* Year as PostgreSQL prints it: the proleptic year y <= 0 is (1 - y) BC. */
char *PutDate(char *o, int64_t days_since_2000, bool *bc)
{
	int64_t year;
	unsigned month, day;
	DaysToCivil(days_since_2000, &year, &month, &day);
	*bc = year <= 0;
	o = PutYear(o, *bc ? 1 - year : year);
	*o++ = '-';
	o = Put2(o, month);
	*o++ = '-';
	return Put2(o, day);
}

char *PutIsoPart(char *o, int64_t value, char unit)
{
	if (value == 0)
		return o;
	o = std::to_chars(o, o + 24, value).ptr;
	*o++ = unit;
	return o;
}

} // namespace

void DaysToCivil(int64_t days_since_2000, int64_t *year, unsigned *month, unsigned *day)
{
	/* Howard Hinnant's days_from_civil inverse, valid for the whole proleptic calendar. */
	int64_t z = days_since_2000 + kUnixToPgDays + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t y = yoe + era * 400;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*day = unsigned(doy - (153 * mp + 2) / 5 + 1);
	*month = unsigned(mp < 10 ? mp + 3 : mp - 9);
	*year = y + (*month <= 2 ? 1 : 0);
}

namespace
{

/* Writes "infinity" or "-infinity" for a type's end values; false for finite ones. */
template <typename T>
bool WriteIfInfinite(Sink &out, T v)
{
	if (v == std::numeric_limits<T>::max())
		out.literal("\"infinity\"");
	else if (v == std::numeric_limits<T>::min())
		out.literal("\"-infinity\"");
	else
		return false;
	return true;
}

} // namespace

void WriteTimestamp(Sink &out, int64_t usecs, bool with_zone)
{
	if (WriteIfInfinite(out, usecs))
		return;
	int64_t days = usecs / kUsecsPerDay;
	int64_t time = usecs % kUsecsPerDay;
	if (time < 0) {
		time += kUsecsPerDay;
		days -= 1;
	}
	out.reserve(48);
	char *o = out.cur;
	bool bc;
	*o++ = '"';
	o = PutDate(o, days, &bc);
	*o++ = 'T';
	o = Put2(o, unsigned(time / kUsecsPerHour));
	*o++ = ':';
	o = Put2(o, unsigned(time / kUsecsPerMinute % 60));
	*o++ = ':';
	o = Put2(o, unsigned(time / kUsecsPerSec % 60));
	o = PutFraction(o, time % kUsecsPerSec);
	if (with_zone)
		*o++ = 'Z';
	if (bc) {
		std::memcpy(o, " BC", 3);
		o += 3;
	}
	*o++ = '"';
	out.cur = o;
}

void WriteDate(Sink &out, int32_t days)
{
	if (WriteIfInfinite(out, days))
		return;
	out.reserve(32);
	char *o = out.cur;
	bool bc;
	*o++ = '"';
	o = PutDate(o, days, &bc);
	if (bc) {
		std::memcpy(o, " BC", 3);
		o += 3;
	}
	*o++ = '"';
	out.cur = o;
}

void WriteInterval(Sink &out, int64_t time, int32_t days, int32_t months, bool infinities_exist)
{
	if (infinities_exist) {
		if (months == std::numeric_limits<int32_t>::max() && days == std::numeric_limits<int32_t>::max() &&
		    time == std::numeric_limits<int64_t>::max()) {
			out.literal("\"infinity\"");
			return;
		}
		if (months == std::numeric_limits<int32_t>::min() && days == std::numeric_limits<int32_t>::min() &&
		    time == std::numeric_limits<int64_t>::min()) {
			out.literal("\"-infinity\"");
			return;
		}
	}
	/* The same decomposition as PostgreSQL's interval2itm: C division, signs follow the field. */
	int64_t year = months / 12;
	int64_t mon = months % 12;
	int64_t hour = time / kUsecsPerHour;
	time -= hour * kUsecsPerHour;
	int64_t min = time / kUsecsPerMinute;
	time -= min * kUsecsPerMinute;
	int64_t sec = time / kUsecsPerSec;
	int64_t fsec = time - sec * kUsecsPerSec;

	out.reserve(96);
	char *o = out.cur;
	*o++ = '"';
	if (year == 0 && mon == 0 && days == 0 && hour == 0 && min == 0 && sec == 0 && fsec == 0) {
		std::memcpy(o, "PT0S", 4);
		o += 4;
	} else {
		*o++ = 'P';
		o = PutIsoPart(o, year, 'Y');
		o = PutIsoPart(o, mon, 'M');
		o = PutIsoPart(o, days, 'D');
		if (hour != 0 || min != 0 || sec != 0 || fsec != 0)
			*o++ = 'T';
		o = PutIsoPart(o, hour, 'H');
		o = PutIsoPart(o, min, 'M');
		if (sec != 0 || fsec != 0) {
			if (sec < 0 || fsec < 0)
				*o++ = '-';
			o = std::to_chars(o, o + 24, sec < 0 ? -sec : sec).ptr;
			o = PutFraction(o, fsec < 0 ? -fsec : fsec);
			*o++ = 'S';
		}
	}
	*o++ = '"';
	out.cur = o;
}

} // namespace pgcdc
