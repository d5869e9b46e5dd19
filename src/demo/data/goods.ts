// The goods of the demo points supermarket: the everyday things real 积分超市 shelves hold,
// priced in points at about their price in yuan at a township shop, because most villages
// count one point as one yuan. Each good has a drawn picture in public/goods/ so that a
// villager who does not read can still find the rice or the soap on the kiosk.

export type GoodCategory = "grain_oil" | "condiment" | "food" | "cleaning" | "personal_care" | "household" | "school";

export interface Good {
  sku: string;
  name: string;
  pricePoints: number;
  category: GoodCategory;
  /** Units on the shelf when the demo starts. */
  stock: number;
  /** File name under public/goods/. */
  image: string;
}

function good(sku: string, name: string, pricePoints: number, category: GoodCategory, stock: number, image: string): Good {
  return { sku, name, pricePoints, category, stock, image };
}

/** The township's goods catalogue with a typical opening stock for a village of 200 households. */
export const GOODS_CATALOGUE: readonly Readonly<Good>[] = [
  good("RICE-5KG", "大米 5kg", 35, "grain_oil", 40, "rice.svg"),
  good("OIL-1800ML", "食用油 1.8L", 30, "grain_oil", 30, "cooking-oil.svg"),
  good("NOODLE-1KG", "挂面 1kg", 8, "grain_oil", 50, "noodles.svg"),
  good("EGG-30", "鸡蛋 30枚", 25, "food", 20, "eggs.svg"),
  good("SOY-500ML", "酱油 500ml", 8, "condiment", 40, "soy-sauce.svg"),
  good("SALT-400G", "食用盐 400g", 3, "condiment", 60, "salt.svg"),
  good("LAUNDRY-1500G", "洗衣粉 1.5kg", 15, "cleaning", 40, "laundry-powder.svg"),
  good("DISH-1100G", "洗洁精 1.1kg", 10, "cleaning", 40, "dish-soap.svg"),
  good("SOAP-1", "香皂", 4, "personal_care", 80, "soap.svg"),
  good("TOOTHPASTE-1", "牙膏", 8, "personal_care", 60, "toothpaste.svg"),
  good("SHAMPOO-400ML", "洗发水 400ml", 18, "personal_care", 30, "shampoo.svg"),
  good("TOWEL-1", "毛巾", 10, "household", 50, "towel.svg"),
  good("TISSUE-10", "卫生纸 10卷", 20, "household", 40, "toilet-paper.svg"),
  good("BASIN-1", "塑料脸盆", 12, "household", 25, "basin.svg"),
  good("THERMOS-1", "保温杯", 35, "household", 15, "thermos.svg"),
  good("UMBRELLA-1", "雨伞", 25, "household", 15, "umbrella.svg"),
  good("SCHOOLBAG-1", "书包", 40, "school", 10, "schoolbag.svg"),
  good("EXERCISE-BOOK-10", "作业本 10本", 5, "school", 60, "exercise-books.svg"),
];
